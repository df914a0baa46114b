package dev.tunnelcast.server.auth;

/**
 * The outcome of checking a token; {@code detail} says why it was refused, {@code scope}
 * which streams an accepted token is for (null when refused).
 */
public record TokenVerdict(Kind kind, String detail, TokenScope scope) {

    public enum Kind {
        /** The token allows the request (or no secret is configured). */
        ACCEPTED,
        /** Missing, malformed, badly signed or expired: close with 4401 (HTTP 401). */
        UNAUTHORIZED,
        /** Valid but for another stream or action: close with 4403 (HTTP 403). */
        FORBIDDEN
    }

    static TokenVerdict ok(TokenScope scope) {
        return new TokenVerdict(Kind.ACCEPTED, "ok", scope);
    }

    static TokenVerdict unauthorized(String detail) {
        return new TokenVerdict(Kind.UNAUTHORIZED, detail, null);
    }

    static TokenVerdict forbidden(String detail) {
        return new TokenVerdict(Kind.FORBIDDEN, detail, null);
    }

    public boolean isAccepted() {
        return kind == Kind.ACCEPTED;
    }

    /** Whether an accepted token covers {@code stream}. */
    public boolean allows(String stream) {
        return isAccepted() && scope.covers(stream);
    }
}
