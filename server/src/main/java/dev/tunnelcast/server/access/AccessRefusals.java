package dev.tunnelcast.server.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers a refused HTTP request: 401 (no usable credentials) or 403 (valid, but not for
 * this), with {@code {"error": ..., "reason": ...}}, and counts it in
 * {@code tunnelcast_http_refusals_total{route,status,reason}}. Reasons are a small fixed set
 * (token verdicts, "origin not allowed", ...), so the counter's tags stay few; each rule
 * registers the ones it can give on its route at zero ({@link #expect}), so that a scrape shows
 * them before the first refusal.
 */
final class AccessRefusals {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MeterRegistry registry;

    AccessRefusals(MeterRegistry registry) {
        this.registry = registry;
    }

    void unauthorized(HttpServerExchange exchange, String route, String reason) {
        exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
        refuse(exchange, route, StatusCodes.UNAUTHORIZED, "unauthorized", reason);
    }

    void forbidden(HttpServerExchange exchange, String route, String reason) {
        refuse(exchange, route, StatusCodes.FORBIDDEN, "forbidden", reason);
    }

    /** Registers the refusals {@code route} may give with {@code status}, at zero. */
    void expect(String route, int status, List<String> reasons) {
        reasons.forEach(reason -> counter(route, status, reason));
    }

    /** How many requests of {@code route} were refused with {@code status} for {@code reason}. */
    double count(String route, int status, String reason) {
        Counter counter = registry.find("tunnelcast.http.refusals")
                .tags("route", route, "status", Integer.toString(status), "reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private Counter counter(String route, int status, String reason) {
        return Counter.builder("tunnelcast.http.refusals")
                .description("HTTP requests refused for want of a token, a scrape token or an allowed Origin")
                .tags("route", route, "status", Integer.toString(status), "reason", reason)
                .register(registry);
    }

    private void refuse(HttpServerExchange exchange, String route, int status, String error, String reason) {
        counter(route, status, reason).increment();
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
}
