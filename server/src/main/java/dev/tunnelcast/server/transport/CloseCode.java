package dev.tunnelcast.server.transport;

/**
 * Every WebSocket close code the relay uses, with the reason text sent in the close frame.
 * This enum and the table in {@code docs/protocol.md} are the one place they are defined.
 */
public enum CloseCode {
    NORMAL(1000, "normal close"),
    GOING_AWAY(1001, "relay shutting down"),
    BAD_MESSAGE(4400, "bad message"),
    UNAUTHORIZED(4401, "unauthorized"),
    FORBIDDEN(4403, "forbidden"),
    INVALID_STREAM(4404, "invalid stream name"),
    SLOW_CONSUMER(4408, "slow consumer"),
    PUBLISHER_EXISTS(4409, "stream already has a publisher"),
    STREAM_ENDED(4410, "stream ended"),
    TAKEN_OVER(4411, "taken over by a new publisher"),
    MESSAGE_TOO_BIG(4413, "message too big"),
    PROTOCOL_VIOLATION(4422, "protocol violation"),
    UNSUPPORTED_VERSION(4426, "unsupported protocol version"),
    TOO_MANY(4429, "too many streams or players"),
    INTERNAL_ERROR(4500, "internal error");

    private final int code;
    private final String reason;

    CloseCode(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    /** The short reason text of the close frame (close frames allow at most 123 bytes). */
    public String reason() {
        return reason;
    }

    public static CloseCode fromCode(int code) {
        for (CloseCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown close code " + code);
    }
}
