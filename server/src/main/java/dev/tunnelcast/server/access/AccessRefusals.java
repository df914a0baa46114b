package dev.tunnelcast.server.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.PathTemplateMatch;
import io.undertow.util.StatusCodes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers a refused HTTP request: 401 (no usable credentials) or 403 (valid, but not for
 * this), with {@code {"error": ..., "reason": ...}}, and counts it in
 * {@code tunnelcast_http_refusals_total{route,status,reason}}. Reasons are a small fixed set
 * (token verdicts, "origin not allowed", ...), so the counter's tags stay few.
 */
final class AccessRefusals {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MeterRegistry registry;

    AccessRefusals(MeterRegistry registry) {
        this.registry = registry;
    }

    void unauthorized(HttpServerExchange exchange, String reason) {
        exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
        refuse(exchange, StatusCodes.UNAUTHORIZED, "unauthorized", reason);
    }

    void forbidden(HttpServerExchange exchange, String reason) {
        refuse(exchange, StatusCodes.FORBIDDEN, "forbidden", reason);
    }

    /** How many requests of {@code route} were refused with {@code status} for {@code reason}. */
    double count(String route, int status, String reason) {
        Counter counter = registry.find("tunnelcast.http.refusals")
                .tags("route", route, "status", Integer.toString(status), "reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private void refuse(HttpServerExchange exchange, int status, String error, String reason) {
        Counter.builder("tunnelcast.http.refusals")
                .description("HTTP requests refused for want of a token, a scrape token or an allowed Origin")
                .tags("route", route(exchange), "status", Integer.toString(status), "reason", reason)
                .register(registry).increment();
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("reason", reason);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        try {
            exchange.getResponseSender().send(JSON.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e); // two strings always serialize
        }
    }

    /** The route's template (not the request path: stream names must not multiply the tags). */
    private static String route(HttpServerExchange exchange) {
        PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
        return match == null ? "other" : match.getMatchedTemplate();
    }
}
