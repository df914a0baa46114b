package dev.tunnelcast.server.access;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Refuses WebSocket upgrades from foreign web pages (cross-site WebSocket hijacking: a browser
 * sends the upgrade from any page, and no CORS rule stops it). Allowed: requests without
 * {@code Origin} (non-browser clients) and the listed origins, where {@link #SELF} is the
 * relay's own (the request's scheme and {@code Host}) and {@link #ANY} any. Anything else
 * gets 403 before the upgrade.
 */
final class OriginPolicy {

    static final String ANY = "*";
    /** The origin the request was sent to: its scheme and {@code Host} header. */
    static final String SELF = "self";
    static final String REFUSED = "origin not allowed";

    private final List<String> allowed;
    private final AccessRefusals refusals;

    OriginPolicy(List<String> allowed, AccessRefusals refusals) {
        this.allowed = allowed;
        this.refusals = refusals;
    }

    /** Guards {@code route} (its template, the counter's label). */
    HttpHandler guard(String route, HttpHandler next) {
        if (!allowed.contains(ANY)) {
            refusals.expect(route, StatusCodes.FORBIDDEN, List.of(REFUSED));
        }
        return exchange -> {
            if (allows(exchange)) {
                next.handleRequest(exchange);
            } else {
                refusals.forbidden(exchange, route, REFUSED);
            }
        };
    }

    private boolean allows(HttpServerExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        if (origin == null) { // drafts 07/08 of the protocol named it so
            origin = exchange.getRequestHeaders().getFirst(Headers.SEC_WEB_SOCKET_ORIGIN);
        }
        if (origin == null || allowed.contains(ANY)) {
            return true;
        }
        try {
            String normalized = normalize(origin);
            String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
            return allowed.contains(normalized) || allowed.contains(SELF) && host != null
                    && normalized.equals(normalize(exchange.getRequestScheme() + "://" + host));
        } catch (IllegalArgumentException e) {
            return false; // "null" (sandboxed pages, file:) or garbage: not an origin anyone listed
        }
    }

    /** {@code scheme://host:port}, lower case, with the scheme's default port made explicit. */
    static String normalize(String origin) {
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
            if (scheme == null || uri.getHost() == null || !bare) {
                throw new IllegalArgumentException("not an origin (scheme://host[:port]): '" + origin + "'");
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : switch (scheme) {
                case "http", "ws" -> 80;
                case "https", "wss" -> 443;
                default -> -1;
            };
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not an origin (scheme://host[:port]): '" + origin + "'", e);
        }
    }
}
