package dev.tunnelcast.server.auth;

/** The outcome of checking a token; {@code detail} says why it was refused. */
public record TokenVerdict(Kind kind, String detail) {

    public enum Kind {
        /** The token allows the request (or no secret is configured). */
        ACCEPTED,
        /** Missing, malformed, badly signed or expired: close with 4401. */
        UNAUTHORIZED,
        /** Valid but for another stream or action: close with 4403. */
        FORBIDDEN
    }

    static TokenVerdict ok() {
        return new TokenVerdict(Kind.ACCEPTED, "ok");
    }

    static TokenVerdict unauthorized(String detail) {
        return new TokenVerdict(Kind.UNAUTHORIZED, detail);
    }

    static TokenVerdict forbidden(String detail) {
        return new TokenVerdict(Kind.FORBIDDEN, detail);
    }

    public boolean isAccepted() {
        return kind == Kind.ACCEPTED;
    }
}
