package dev.tunnelcast.server.access;

import dev.tunnelcast.server.auth.TokenAuthority;
import dev.tunnelcast.server.auth.TokenVerdict;
import dev.tunnelcast.server.clock.RelayClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * The relay's HTTP access rules as handlers that wrap a route's handler (see docs/protocol.md,
 * "HTTP access rules"): {@link #webSocket} for the upgrades, {@link #stream} and
 * {@link #streamList} for what is readable about streams, {@link #metrics} for scrapes. Each
 * takes the route's template: the label of its refusals, which it registers at zero.
 */
public final class HttpAccess {

    private final OriginPolicy origins;
    private final StreamAccess streams;
    private final ScrapeAccess scrapes;

    public HttpAccess(AccessConfig config, TokenAuthority tokens, RelayClock clock, MeterRegistry registry) {
        AccessRefusals refusals = new AccessRefusals(registry);
        this.origins = new OriginPolicy(config.allowedOrigins(), refusals);
        this.streams = new StreamAccess(tokens, clock, refusals);
        this.scrapes = new ScrapeAccess(config.metricsToken(), tokens.enabled() && config.metricsBind() == null, refusals);
    }

    /**
     * An upgrade: a foreign {@code Origin} is refused before it; the 101 does not echo the
     * request URL ({@code Sec-WebSocket-Location}, from an early draft of the protocol, would
     * repeat the token in the answer).
     */
    public HttpHandler webSocket(String route, HttpHandler upgrade) {
        return origins.guard(route, exchange -> {
            exchange.addResponseCommitListener(e -> e.getResponseHeaders().remove(Headers.SEC_WEB_SOCKET_LOCATION));
            upgrade.handleRequest(exchange);
        });
    }

    /** A route about one stream ({@code {stream}} in its path): needs a play token for it. */
    public HttpHandler stream(String route, HttpHandler next) {
        return streams.stream(route, next);
    }

    /** A list of streams: needs a valid play token; list only {@link #visible} streams. */
    public HttpHandler streamList(String route, HttpHandler next) {
        return streams.list(route, next);
    }

    /** Whether a list answered through {@link #streamList} may show {@code stream}. */
    public static boolean visible(HttpServerExchange exchange, String stream) {
        TokenVerdict verdict = exchange.getAttachment(StreamAccess.LIST_VERDICT);
        return verdict == null || verdict.allows(stream);
    }

    /** {@code /metrics}: the scrape token, if one is set. */
    public HttpHandler metrics(String route, HttpHandler next) {
        return scrapes.guard(route, next);
    }
}
