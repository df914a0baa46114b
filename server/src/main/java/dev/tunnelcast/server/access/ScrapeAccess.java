package dev.tunnelcast.server.access;

import io.undertow.server.HttpHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code /metrics} as Prometheus expects to scrape it: with a static bearer token (its
 * {@code authorization} config) when one is set. A relay with stream tokens but neither a
 * scrape token nor a management listener refuses scrapes: its metrics name the streams.
 */
final class ScrapeAccess {

    static final String NOT_CONFIGURED = "tokens are on: scrape with --metrics-token or on --metrics-bind";

    private final byte[] token;
    private final boolean refuseAll;
    private final AccessRefusals refusals;

    /** @param token the scrape token or null; @param refuseAll without a token, refuse every scrape */
    ScrapeAccess(String token, boolean refuseAll, AccessRefusals refusals) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.refuseAll = refuseAll;
        this.refusals = refusals;
    }

    HttpHandler guard(HttpHandler next) {
        return exchange -> {
            if (token != null) {
                String bearer = StreamAccess.bearer(exchange);
                if (bearer == null) {
                    refusals.unauthorized(exchange, "scrape token missing");
                } else if (!MessageDigest.isEqual(token, bearer.getBytes(StandardCharsets.UTF_8))) {
                    refusals.unauthorized(exchange, "scrape token invalid");
                } else {
                    next.handleRequest(exchange);
                }
            } else if (refuseAll) {
                refusals.forbidden(exchange, NOT_CONFIGURED);
            } else {
                next.handleRequest(exchange);
            }
        };
    }
}
