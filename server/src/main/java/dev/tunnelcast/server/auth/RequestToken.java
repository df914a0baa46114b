package dev.tunnelcast.server.auth;

/**
 * Where a request carries its token, the same for every route and the WebSocket upgrades: the
 * {@code Authorization: Bearer} header, which wins, else the {@code token} query parameter
 * (browsers cannot set headers on a WebSocket or on every media request).
 */
public final class RequestToken {

    private static final String BEARER = "Bearer ";

    private RequestToken() {}

    /** The token of a request with this {@code Authorization} header and {@code ?token=} value (either may be null). */
    public static String of(String authorization, String query) {
        String bearer = bearer(authorization);
        return bearer != null ? bearer : query;
    }

    /** The credentials of an {@code Authorization: Bearer} header (scheme case-insensitive), or null. */
    public static String bearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()).trim() : null;
    }
}
