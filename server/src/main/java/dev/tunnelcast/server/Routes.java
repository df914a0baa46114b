package dev.tunnelcast.server;

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

/** The relay's whole URL space, in one place. */
final class Routes {

    private Routes() {}

    static HttpHandler build(ClientEndpoint publishers, ClientEndpoint players, StreamsApi api,
                             RelayMetrics metrics, RelayConfig config, ArchiveHandlers archive) {
        RoutingHandler routes = Handlers.routing()
                .get("/ws/publish/{stream}", publishers.handler())
                .get("/ws/play/{stream}", players.handler())
                .get("/api/streams", onWorker(api.listHandler()))
                .get("/api/streams/{stream}", onWorker(api.oneHandler()))
                .get("/healthz", exchange -> text(exchange, "ok\n"))
                .get("/metrics", onWorker(exchange -> {
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                    exchange.getResponseSender().send(metrics.scrape());
                }))
                .setFallbackHandler(PlayerFiles.handler(config.staticDir()));
        if (archive != null) { // recordings: only when recording is configured
            routes.get(ArchiveHandlers.LIST_PATH, onWorker(archive.list()))
                    .get(ArchiveHandlers.DOWNLOAD_PATH, archive.download())
                    .add("HEAD", ArchiveHandlers.DOWNLOAD_PATH, archive.download())
                    .get(ArchiveHandlers.PLAYLIST_PATH, archive.playlist());
        }
        return routes;
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
