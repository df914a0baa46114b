package dev.tunnelcast.server.cluster;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's one connection to NATS: joins at start (wrong credentials or no server fail the
 * start with a clear message), then reconnects for ever. Publishing while disconnected drops
 * the message (counted) instead of buffering stale media. Knows whether the cluster is degraded.
 */
final class ClusterConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterConnection.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RECONNECT_WAIT = Duration.ofMillis(500);

    private final Connection nats;
    private final ClusterMetrics metrics;
    private final Dispatcher dispatcher;
    private final CopyOnWriteArrayList<Runnable> onReconnect = new CopyOnWriteArrayList<>();
    private volatile String degradedReason;

    private ClusterConnection(ClusterConfig config, ClusterMetrics metrics) throws IOException, InterruptedException,
            GeneralSecurityException {
        this.metrics = metrics;
        Options.Builder options = new Options.Builder()
                .servers(config.servers().toArray(String[]::new))
                .connectionName("tunnelcast-relay " + config.nodeName())
                .connectionTimeout(CONNECT_TIMEOUT)
                .maxReconnects(-1)
                .reconnectWait(RECONNECT_WAIT)
                // Neither reconnectBufferSize(0) nor discardMessagesWhenOutgoingQueueFull(): with either, jnats 2.25.0
                // often got no reply to any request after a reconnect (perhaps nats.java#1522, fixed in 2.25.2: see
                // docs/cluster.md). Media is not buffered during an outage anyway: publish() drops it.
                .noEcho() // this node feeds its own players directly, never from NATS
                .connectionListener(this::connectionEvent)
                .errorListener(new ErrorListener() {
                    @Override
                    public void errorOccurred(Connection conn, String error) {
                        log.warn("NATS: {}", error);
                    }
                });
        if (config.credentialsFile() != null) {
            options.authHandler(Nats.credentials(config.credentialsFile().toString()));
        }
        if (config.user() != null) {
            options.userInfo(config.user(), config.password());
        }
        if (config.tlsCaPem() != null) {
            options.sslContext(trusting(config));
        }
        this.nats = Nats.connect(options.build());
        this.dispatcher = nats.createDispatcher();
        metrics.connected(true);
        log.info("node {} joined the cluster at {}", config.nodeName(), nats.getConnectedUrl());
    }

    /**
     * Connects to the first reachable server of {@code config}.
     *
     * @throws IllegalStateException naming the servers and NATS's reason (e.g. "Authorization Violation")
     */
    static ClusterConnection connect(ClusterConfig config, ClusterMetrics metrics) {
        try {
            return new ClusterConnection(config, metrics);
        } catch (IOException | GeneralSecurityException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            String hint = reason.toLowerCase().contains("authorization")
                    ? " (check --cluster-user/--cluster-password or --cluster-creds)" : "";
            throw new IllegalStateException("cannot join the cluster at " + String.join(",", config.servers())
                    + ": " + reason + hint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while joining the cluster", e);
        }
    }

    private static SSLContext trusting(ClusterConfig config) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(config.tlsCaPem())) {
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca" + i++, certificate);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private void connectionEvent(Connection conn, ConnectionListener.Events event) {
        switch (event) {
            case DISCONNECTED -> {
                degradedReason = "NATS connection lost; serving local streams only";
                metrics.connected(false);
                log.warn("cluster degraded: {}", degradedReason);
            }
            case RECONNECTED -> {
                degradedReason = null;
                metrics.connected(true);
                metrics.reconnected();
                log.info("cluster rejoined at {}", conn.getConnectedUrl());
            }
            case RESUBSCRIBED -> onReconnect.forEach(Runnable::run);
            case CLOSED -> {
                degradedReason = "NATS connection closed";
                metrics.connected(false);
            }
            default -> { }
        }
    }

    /** Runs {@code task} each time the connection is back and its subscriptions are restored. */
    void onReconnect(Runnable task) {
        onReconnect.add(task);
    }

    boolean isConnected() {
        return nats.getStatus() == Connection.Status.CONNECTED;
    }

    /** Null while connected; else why this node serves only its local streams. */
    String degradedReason() {
        String reason = degradedReason;
        return reason == null && !isConnected() ? "NATS " + nats.getStatus().name().toLowerCase() : reason;
    }

    Connection nats() {
        return nats;
    }

    /** The one dispatcher (one thread) that delivers every subscription of this node, in order. */
    Dispatcher dispatcher() {
        return dispatcher;
    }

    /** Publishes now or drops (counted): never queues behind a lost connection. */
    void publish(String subject, Headers headers, byte[] data) {
        if (!isConnected()) {
            metrics.dropped(ClusterMetrics.Drop.DISCONNECTED);
            return;
        }
        try {
            nats.publish(subject, headers, data);
            metrics.published(data.length);
        } catch (IllegalStateException full) {
            metrics.dropped(ClusterMetrics.Drop.QUEUE_FULL);
        } catch (IllegalArgumentException tooBig) {
            metrics.dropped(ClusterMetrics.Drop.TOO_BIG);
            log.warn("not sent to the cluster: {} ({} bytes; raise max_payload, see docs/cluster.md)",
                    tooBig.getMessage(), data.length);
        }
    }

    /** A request answered by one responder, or failed (no responders, timeout, disconnected). */
    CompletableFuture<Message> request(String subject, Headers headers, Duration timeout) {
        if (!isConnected()) {
            return CompletableFuture.failedFuture(new IOException("not connected to NATS"));
        }
        metrics.published(0);
        return nats.requestWithTimeout(subject, headers, new byte[0], timeout);
    }

    @Override
    public void close() {
        try {
            nats.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.connected(false);
    }
}
