package dev.tunnelcast.server.relay;

import dev.tunnelcast.proto.v1.CloseCode;

/**
 * Why the relay refuses a client: the close code and a one-line detail for the client and
 * the log. Thrown by validation, caught by the endpoint that closes the connection.
 */
public final class Refusal extends Exception {

    private final CloseCode code;

    public Refusal(CloseCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public CloseCode code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }
}
