package dev.tunnelcast.agent.encode;

/** An encoder could not be opened or failed; the message says which and why. */
public final class EncoderException extends RuntimeException {
    public EncoderException(String message) {
        super(message);
    }
}
