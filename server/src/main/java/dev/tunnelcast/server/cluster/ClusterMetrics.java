package dev.tunnelcast.server.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cluster's meters: NATS messages and bytes each way, what was not sent or not applied
 * and why, the connection state and the streams this node takes from other nodes.
 */
final class ClusterMetrics {

    /** Why a message did not go out or was not applied. */
    enum Drop {
        /** NATS was unreachable: a local stream keeps playing here, other nodes miss it. */
        DISCONNECTED,
        /** The client's outgoing queue was full. */
        QUEUE_FULL,
        /** Larger than the NATS server's max_payload (docs/cluster.md). */
        TOO_BIG,
        /** A media message arrived before its stream's TrackConfigs (joining mid-way) or after its publisher changed. */
        NOT_APPLICABLE
    }

    private final Counter messagesOut;
    private final Counter bytesOut;
    private final Counter messagesIn;
    private final Counter bytesIn;
    private final Counter[] drops = new Counter[Drop.values().length];
    private final Counter reconnects;
    private final Counter directoryErrors;
    private final Counter recorderLeasesLost;
    private final AtomicInteger recorderLeases = new AtomicInteger();
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger remoteStreams = new AtomicInteger();

    ClusterMetrics(MeterRegistry registry) {
        messagesOut = Counter.builder("tunnelcast.cluster.messages").tag("direction", "out")
                .description("NATS messages this node published (envelopes, events, requests)").register(registry);
        bytesOut = Counter.builder("tunnelcast.cluster.bytes").tag("direction", "out")
                .description("payload bytes of the NATS messages this node published").register(registry);
        messagesIn = Counter.builder("tunnelcast.cluster.messages").tag("direction", "in")
                .description("NATS messages this node received for its players and requests").register(registry);
        bytesIn = Counter.builder("tunnelcast.cluster.bytes").tag("direction", "in")
                .description("payload bytes of the NATS messages this node received").register(registry);
        for (Drop drop : Drop.values()) {
            drops[drop.ordinal()] = Counter.builder("tunnelcast.cluster.dropped").tag("reason", drop.name().toLowerCase())
                    .description("cluster messages not sent or not applied, by reason").register(registry);
        }
        reconnects = Counter.builder("tunnelcast.cluster.reconnects")
                .description("times this node got its NATS connection back").register(registry);
        directoryErrors = Counter.builder("tunnelcast.cluster.directory.errors")
                .description("stream directory (JetStream key-value) operations that failed").register(registry);
        recorderLeasesLost = Counter.builder("tunnelcast.cluster.recorder.lease.lost")
                .description("recorder leases this node lost while recording (another node took it, or NATS stayed away)")
                .register(registry);
        Gauge.builder("tunnelcast.cluster.recorder.leases", recorderLeases, AtomicInteger::get)
                .description("streams this node records as the holder of their cluster-wide recorder lease").register(registry);
        Gauge.builder("tunnelcast.cluster.connected", connected, AtomicInteger::get)
                .description("1 while connected to NATS, 0 while the cluster is degraded (local streams only)").register(registry);
        Gauge.builder("tunnelcast.cluster.remote.streams", remoteStreams, AtomicInteger::get)
                .description("streams this node receives over NATS for its players").register(registry);
    }

    void published(int bytes) {
        messagesOut.increment();
        bytesOut.increment(bytes);
    }

    void received(int bytes) {
        messagesIn.increment();
        bytesIn.increment(bytes);
    }

    void dropped(Drop reason) {
        drops[reason.ordinal()].increment();
    }

    void reconnected() {
        reconnects.increment();
    }

    void directoryFailed() {
        directoryErrors.increment();
    }

    void recorderLeases(int held) {
        recorderLeases.set(held);
    }

    void recorderLeaseLost() {
        recorderLeasesLost.increment();
    }

    void connected(boolean up) {
        connected.set(up ? 1 : 0);
    }

    void remoteStreams(int count) {
        remoteStreams.set(count);
    }
}
