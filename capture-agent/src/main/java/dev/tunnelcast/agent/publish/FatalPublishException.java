package dev.tunnelcast.agent.publish;

/** The relay refused the publisher for a reason a retry cannot fix (bad token, bad stream, …). */
public final class FatalPublishException extends RuntimeException {
    private final int closeCode;

    public FatalPublishException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    public int closeCode() {
        return closeCode;
    }
}
