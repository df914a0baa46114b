package dev.tunnelcast.agent.capture;

/** A source could not be opened or failed; the message names it and what is available. */
public final class CaptureException extends RuntimeException {
    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
