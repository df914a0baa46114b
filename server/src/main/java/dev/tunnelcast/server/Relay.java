package dev.tunnelcast.server;

import dev.tunnelcast.server.access.HttpAccess;
import dev.tunnelcast.server.api.StreamsApi;
import dev.tunnelcast.server.archive.Archive;
import dev.tunnelcast.server.auth.TokenAuthority;
import dev.tunnelcast.server.cluster.ClusterNode;
import dev.tunnelcast.server.metrics.RelayMetrics;
import dev.tunnelcast.server.relay.RelayContext;
import dev.tunnelcast.server.relay.RelayPolicy;
import dev.tunnelcast.server.relay.StreamObserver;
import dev.tunnelcast.server.relay.StreamRegistry;
import dev.tunnelcast.server.tls.TlsContexts;
import dev.tunnelcast.server.transport.ClientEndpoint;
import dev.tunnelcast.server.transport.HttpListeners;
import dev.tunnelcast.server.transport.IdleConnections;
import dev.tunnelcast.server.transport.PendingConnections;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embeddable relay: {@link #start(RelayConfig)} binds the listeners and returns a running
 * relay; {@link #close()} closes every client with 1001 and stops. Wiring only — the parts
 * live in {@code transport} (WebSockets), {@code relay} (streams, fan-out), {@code api},
 * {@code metrics}, {@code auth} and {@code tls}.
 */
public final class Relay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Relay.class);
    /** How long {@link #close()} lets close frames reach clients before stopping the server. */
    private static final long SHUTDOWN_GRACE_MILLIS = 300;

    private final RelayConfig config;
    private final RelayMetrics metrics;
    private final RelayContext context;
    private final StreamRegistry registry;
    private final Archive archive;
    private final ClusterNode cluster;
    private final ScheduledExecutorService housekeeping;
    private final HttpListeners listeners;
    private final HttpListeners management;
    private final int port;
    private final int tlsPort;
    private final int metricsPort;
    private volatile boolean closed;

    private Relay(RelayConfig config) throws IOException, GeneralSecurityException {
        this.config = config;
        // First, so that a bad certificate fails before anything is started.
        SSLContext ssl = !config.tlsEnabled() ? null
                : config.tlsCertPem() != null
                ? TlsContexts.fromPem(config.tlsCertPem(), config.tlsKeyPem())
                : TlsContexts.fromPkcs12(config.tlsKeystore(), config.tlsKeystorePassword());
        this.metrics = new RelayMetrics();
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tunnelcast-housekeeping");
            t.setDaemon(true);
            return t;
        });
        this.context = new RelayContext(policy(config), config.clock(), metrics,
                new CopyOnWriteArrayList<>(config.observers()), housekeeping);
        this.registry = new StreamRegistry(context);
        this.archive = config.archive() == null ? null : Archive.start(config.archive(), metrics.registry(),
                config.cluster() == null ? null : config.cluster().nodeName());
        if (archive != null) {
            context.observers().add(archive.observer());
        }
        this.cluster = config.cluster() == null ? null : joinCluster(config);
        TokenAuthority tokens = new TokenAuthority(config.tokenSecret());
        PendingConnections pending = new PendingConnections(config.maxPendingConnections(),
                config.maxPendingPerAddress(), metrics.registry());
        ClientEndpoint publishers = new ClientEndpoint(RelayMetrics.Role.PUBLISHER, config, tokens, registry, metrics, pending);
        ClientEndpoint players = new ClientEndpoint(RelayMetrics.Role.PLAYER, config, tokens, registry, metrics, pending);
        HttpAccess access = new HttpAccess(config.access(), tokens, config.clock(), metrics.registry());

        IdleConnections idle = new IdleConnections("main", config.maxIdleConnections(), config.maxIdlePerAddress(),
                config.headerTimeout(), metrics.registry());
        StreamsApi api = cluster == null ? new StreamsApi(registry)
                : new StreamsApi(registry, cluster::streamsElsewhere, cluster::playersByNode);
        Supplier<String> health = () -> cluster == null ? null : cluster.health();
        HttpHandler routes = Routes.build(publishers, players, api, metrics, config,
                archive == null ? null : archive.handlers(), access, health);
        InetSocketAddress managementBind = config.access().metricsBind();
        HttpListeners started = null;
        HttpListeners managementStarted = null;
        int plain = -1;
        int secure = -1;
        int scrapes = -1;
        try {
            started = HttpListeners.start(config.ioThreads(), config.workerThreads(), routes, idle);
            if (config.port() >= 0) {
                plain = started.listen(config.plainBindAddress(), config.port());
            }
            if (ssl != null) {
                secure = started.listenTls(config.bindAddress(), config.tlsPort(), ssl);
            }
            if (managementBind != null) {
                // The same bounds as the main listeners, with a budget of its own (see IdleConnections).
                IdleConnections managementIdle = new IdleConnections("management", config.maxIdleConnections(),
                        config.maxIdlePerAddress(), config.headerTimeout(), metrics.registry());
                managementStarted = HttpListeners.start(1, 1, Routes.management(metrics, access, health), managementIdle);
                scrapes = managementStarted.listen(managementBind.getHostString(), managementBind.getPort());
            }
        } catch (IOException | RuntimeException e) {
            if (started != null) {
                started.close();
            }
            if (managementStarted != null) {
                managementStarted.close();
            }
            if (cluster != null) {
                cluster.close();
            }
            housekeeping.shutdownNow();
            metrics.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot start the relay: cannot listen on " + config.bindAddress()
                    + (config.port() >= 0 ? " port " + config.port() : "")
                    + (config.tlsEnabled() ? " TLS port " + config.tlsPort() : "")
                    + (managementBind != null ? " or on --metrics-bind " + managementBind : "") + ": " + cause.getMessage(), e);
        }
        this.listeners = started;
        this.port = plain;
        this.tlsPort = secure;
        this.management = managementStarted;
        this.metricsPort = scrapes;
        housekeeping.scheduleAtFixedRate(this::housekeep, 1, 1, TimeUnit.SECONDS);
        if (!tokens.enabled()) {
            log.warn("no token secret configured: anyone may publish, play and read the API and recordings (set --token-secret)");
        } else if (config.access().metricsToken() == null && managementBind == null) {
            log.warn("/metrics refuses every scrape: tokens are on; set --metrics-token or --metrics-bind");
        }
        log.info("relay listening on {}{}{}", port >= 0 ? "http://" + config.plainBindAddress() + ":" + port : "",
                tlsPort >= 0 ? " https://" + config.bindAddress() + ":" + tlsPort : "",
                metricsPort >= 0 ? " metrics http://" + managementBind.getHostString() + ":" + metricsPort : "");
    }

    /**
     * What a socket's kernel send buffer holds at most when set to {@code requested} bytes: twice that on Linux, which
     * doubles SO_SNDBUF for its bookkeeping (socket(7)); 0 (the OS default, autotuned) is not known.
     */
    static long kernelSendBufferBytes(int requested) {
        return 2L * Math.max(0, requested);
    }

    /** The part of the configuration the relay core obeys, as plain values. */
    public static RelayPolicy policy(RelayConfig config) {
        return new RelayPolicy(config.maxStreams(), config.maxPlayersPerStream(), config.maxPlayers(),
                config.playerQueueBytes(), config.playerQueueAge(), config.slowPlayerTimeout(),
                config.gopCacheBytes(), config.gracePeriod(), config.allowTakeover(), config.maxRoomSize(),
                config.layers(), kernelSendBufferBytes(config.playerSocketSendBuffer()),
                config.playerWriteMerge());
    }

    /** Joins the NATS cluster; a relay that cannot join does not start (its archive is closed again). */
    private ClusterNode joinCluster(RelayConfig config) {
        try {
            ClusterNode node = ClusterNode.join(config.cluster(), registry, config.clock(), metrics.registry(),
                    archive == null ? null : archive.config()::records);
            context.observers().addAll(node.observers());
            if (archive != null) { // leases exist only with an archive
                node.recordingLeases().ifPresent(archive::useLeases);
            }
            return node;
        } catch (RuntimeException e) {
            if (archive != null) {
                try {
                    archive.close();
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            housekeeping.shutdownNow();
            metrics.close();
            throw e;
        }
    }

    /** Starts a relay; with port 0 the listeners bind free ports (see {@link #port()}). */
    public static Relay start(RelayConfig config) {
        try {
            return new Relay(config);
        } catch (IOException | GeneralSecurityException e) {
            String what = e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getClass().getSimpleName();
            throw new IllegalStateException("cannot start the relay: " + what + ": " + e.getMessage(), e);
        }
    }

    /** The bound plain HTTP port, or -1 when disabled. */
    public int port() {
        return port;
    }

    /** The bound HTTPS port, or -1 without TLS. */
    public int tlsPort() {
        return tlsPort;
    }

    /** The bound port of the management listener ({@code --metrics-bind}), or -1 without one. */
    public int metricsPort() {
        return metricsPort;
    }

    /** {@code http://host:port} of the plain listener (loopback when bound to all addresses). */
    public URI baseUri() {
        return URI.create("http://" + hostForUri(config.plainBindAddress()) + ":" + port);
    }

    /** {@code https://host:tlsPort} of the TLS listener. */
    public URI tlsBaseUri() {
        return URI.create("https://" + hostForUri(config.bindAddress()) + ":" + tlsPort);
    }

    public RelayConfig config() {
        return config;
    }

    public RelayMetrics metrics() {
        return metrics;
    }

    public MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    public StreamRegistry streams() {
        return registry;
    }

    /** Adds an observer of every stream's publisher (see {@link StreamObserver}). */
    public void addObserver(StreamObserver observer) {
        context.observers().add(observer);
    }

    private void housekeep() {
        try {
            registry.housekeeping();
        } catch (RuntimeException e) {
            log.error("housekeeping failed", e);
        }
    }

    private static String hostForUri(String host) {
        if (host.equals("0.0.0.0") || host.equals("::")) {
            return "127.0.0.1";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        registry.shutdown();
        try {
            Thread.sleep(SHUTDOWN_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listeners.close();
        if (management != null) {
            management.close();
        }
        if (cluster != null) {
            cluster.close(); // after the publishers left: their directory entries and offline events are out
        }
        if (archive != null) {
            try {
                archive.close(); // after the publishers left: every open segment is closed cleanly
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        housekeeping.shutdownNow();
        metrics.close();
        log.info("relay stopped");
    }
}
