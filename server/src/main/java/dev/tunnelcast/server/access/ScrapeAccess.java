package dev.tunnelcast.server.access;

import io.undertow.server.HttpHandler;
import io.undertow.util.StatusCodes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * {@code /metrics} as Prometheus expects to scrape it: with a static bearer token (its
 * {@code authorization} config) when one is set. A relay with stream tokens but neither a
 * scrape token nor a management listener refuses scrapes: its metrics name the streams.
 */
final class ScrapeAccess {

    static final String NOT_CONFIGURED = "tokens are on: scrape with --metrics-token or on --metrics-bind";
    static final String MISSING = "scrape token missing";
    static final String INVALID = "scrape token invalid";

    private final byte[] token;
    private final boolean refuseAll;
    private final AccessRefusals refusals;

    /** @param token the scrape token or null; @param refuseAll without a token, refuse every scrape */
    ScrapeAccess(String token, boolean refuseAll, AccessRefusals refusals) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.refuseAll = refuseAll;
        this.refusals = refusals;
    }

    /** Guards {@code route} (its template, the counter's label). */
    HttpHandler guard(String route, HttpHandler next) {
        if (token != null) {
            refusals.expect(route, StatusCodes.UNAUTHORIZED, List.of(MISSING, INVALID));
        } else if (refuseAll) {
            refusals.expect(route, StatusCodes.FORBIDDEN, List.of(NOT_CONFIGURED));
        }
        return exchange -> {
            if (token != null) {
                String bearer = StreamAccess.bearer(exchange);
                if (bearer == null) {
                    refusals.unauthorized(exchange, route, MISSING);
                } else if (!MessageDigest.isEqual(token, bearer.getBytes(StandardCharsets.UTF_8))) {
                    refusals.unauthorized(exchange, route, INVALID);
                } else {
                    next.handleRequest(exchange);
                }
            } else if (refuseAll) {
                refusals.forbidden(exchange, route, NOT_CONFIGURED);
            } else {
                next.handleRequest(exchange);
            }
        };
    }
}
