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
import java.util.function.Supplier;

/**
 * The relay's whole URL space, in one place, each route wrapped in the access rule it needs
 * ({@link HttpAccess}; the table is in docs/protocol.md, "HTTP access rules").
 */
final class Routes {

    private static final String PUBLISH = "/ws/publish/{stream}";
    private static final String PLAY = "/ws/play/{stream}";
    private static final String STREAMS = "/api/streams";
    private static final String STREAM = "/api/streams/{stream}";
    private static final String METRICS = "/metrics";

    private Routes() {}

    static HttpHandler build(ClientEndpoint publishers, ClientEndpoint players, StreamsApi api,
                             RelayMetrics metrics, RelayConfig config, ArchiveHandlers archive, HttpAccess access,
                             Supplier<String> health) {
        RoutingHandler routes = Handlers.routing()
                .get(PUBLISH, access.webSocket(PUBLISH, publishers.handler()))
                .get(PLAY, access.webSocket(PLAY, players.handler()))
                .get(STREAMS, access.streamList(STREAMS, onWorker(api.listHandler())))
                .get(STREAM, access.stream(STREAM, onWorker(api.oneHandler())))
                .get("/healthz", health(health))
                .setFallbackHandler(PlayerFiles.handler(config.staticDir()));
        if (config.access().metricsBind() == null) { // else only on the management listener
            routes.get(METRICS, access.metrics(METRICS, onWorker(scrape(metrics))));
        }
        if (archive != null) { // recordings: only when recording is configured
            String list = ArchiveHandlers.LIST_PATH;
            String download = ArchiveHandlers.DOWNLOAD_PATH;
            String playlist = ArchiveHandlers.PLAYLIST_PATH;
            routes.get(list, access.stream(list, onWorker(archive.list())))
                    .get(download, access.stream(download, archive.download()))
                    .add("HEAD", download, access.stream(download, archive.download()))
                    .get(playlist, access.stream(playlist, archive.playlist()));
        }
        return routes;
    }

    /** The management listener ({@code --metrics-bind}): {@code /metrics} and {@code /healthz} only. */
    static HttpHandler management(RelayMetrics metrics, HttpAccess access, Supplier<String> health) {
        return Handlers.routing()
                .get(METRICS, access.metrics(METRICS, onWorker(scrape(metrics))))
                .get("/healthz", health(health));
    }

    private static HttpHandler scrape(RelayMetrics metrics) {
        return exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            exchange.getResponseSender().send(metrics.scrape());
        };
    }

    /**
     * 200 "ok" while the relay serves; a cluster node adds its cluster line (a degraded node
     * still serves its local streams, so it stays in its load balancer's pool).
     */
    private static HttpHandler health(Supplier<String> cluster) {
        return exchange -> {
            String line = cluster.get();
            text(exchange, line == null ? "ok\n" : "ok\n" + line + "\n");
        };
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
