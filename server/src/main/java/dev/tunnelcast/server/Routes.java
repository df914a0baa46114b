package dev.tunnelcast.server;

import dev.tunnelcast.server.access.HttpAccess;
import dev.tunnelcast.server.api.PlayerFiles;
import dev.tunnelcast.server.api.StreamsApi;
import dev.tunnelcast.server.archive.ArchiveHandlers;
import dev.tunnelcast.server.metrics.RelayMetrics;
import dev.tunnelcast.server.transport.ClientEndpoint;
import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;

/**
 * The relay's whole URL space, in one place, each route wrapped in the access rule it needs
 * ({@link HttpAccess}; the table is in docs/protocol.md, "HTTP access rules").
 */
final class Routes {

    private Routes() {}

    static HttpHandler build(ClientEndpoint publishers, ClientEndpoint players, StreamsApi api,
                             RelayMetrics metrics, RelayConfig config, ArchiveHandlers archive, HttpAccess access) {
        RoutingHandler routes = Handlers.routing()
                .get("/ws/publish/{stream}", access.webSocket(publishers.handler()))
                .get("/ws/play/{stream}", access.webSocket(players.handler()))
                .get("/api/streams", access.streamList(onWorker(api.listHandler())))
                .get("/api/streams/{stream}", access.stream(onWorker(api.oneHandler())))
                .get("/healthz", Routes::health)
                .setFallbackHandler(PlayerFiles.handler(config.staticDir()));
        if (config.access().metricsBind() == null) { // else only on the management listener
            routes.get("/metrics", access.metrics(onWorker(scrape(metrics))));
        }
        if (archive != null) { // recordings: only when recording is configured
            routes.get(ArchiveHandlers.LIST_PATH, access.stream(onWorker(archive.list())))
                    .get(ArchiveHandlers.DOWNLOAD_PATH, access.stream(archive.download()))
                    .add("HEAD", ArchiveHandlers.DOWNLOAD_PATH, access.stream(archive.download()))
                    .get(ArchiveHandlers.PLAYLIST_PATH, access.stream(archive.playlist()));
        }
        return routes;
    }

    /** The management listener ({@code --metrics-bind}): {@code /metrics} and {@code /healthz} only. */
    static HttpHandler management(RelayMetrics metrics, HttpAccess access) {
        return Handlers.routing()
                .get("/metrics", access.metrics(onWorker(scrape(metrics))))
                .get("/healthz", Routes::health);
    }

    private static HttpHandler scrape(RelayMetrics metrics) {
        return exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            exchange.getResponseSender().send(metrics.scrape());
        };
    }

    private static void health(HttpServerExchange exchange) {
        text(exchange, "ok\n");
    }

    /** Handlers that do more than a few microseconds of work leave the I/O thread. */
    private static HttpHandler onWorker(HttpHandler handler) {
        return exchange -> {
            if (exchange.isInIoThread()) {
                exchange.dispatch(handler);
            } else {
                handler.handleRequest(exchange);
            }
        };
    }

    private static void text(HttpServerExchange exchange, String body) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(body);
    }
}
