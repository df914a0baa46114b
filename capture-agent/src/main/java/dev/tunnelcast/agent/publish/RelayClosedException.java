package dev.tunnelcast.agent.publish;

/** The relay closed the connection with a code a retry may fix (4409, 4429, 4430, …); the publisher reconnects. */
final class RelayClosedException extends IllegalStateException {
    private final int closeCode;

    RelayClosedException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    int closeCode() {
        return closeCode;
    }
}
