package dev.tunnelcast.server.cluster;

import dev.tunnelcast.server.archive.RecordingLeases;
import dev.tunnelcast.server.clock.RelayClock;
import dev.tunnelcast.server.relay.Stream;
import dev.tunnelcast.server.relay.StreamInfo;
import dev.tunnelcast.server.relay.StreamObserver;
import dev.tunnelcast.server.relay.StreamRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * This relay as a node of a NATS cluster, wired in one place: the connection, the stream
 * directory (which also decides publisher claims), the bridge that sends local publishers'
 * envelopes out, the remote sources that bring other nodes' streams in for local players, and
 * the recorder leases that let one node record each stream.
 * Its observers join the relay's; the relay core does not know which node it runs on.
 */
public final class ClusterNode implements AutoCloseable {

    private static final Duration MAX_DIRECTORY_REFRESH = Duration.ofSeconds(2);

    private final ClusterConfig config;
    private final ClusterConnection connection;
    private final StreamDirectory directory;
    private final OriginBridge bridge;
    private final RemoteStreams remote;
    private final RecorderLeases leases;
    private final ScheduledExecutorService clusterThread;

    private ClusterNode(ClusterConfig config, StreamRegistry registry, RelayClock clock, MeterRegistry meters,
                        Predicate<String> recorded) {
        this.config = config;
        ClusterMetrics metrics = new ClusterMetrics(meters);
        this.connection = ClusterConnection.connect(config, metrics);
        this.clusterThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tunnelcast-cluster");
            t.setDaemon(true);
            return t;
        });
        this.directory = new StreamDirectory(connection, metrics, config, () -> registry.infos().stream()
                .filter(info -> info.players() > 0).collect(Collectors.toMap(StreamInfo::name, StreamInfo::players)));
        try {
            directory.open();
        } catch (IOException e) {
            close();
            throw new IllegalStateException("cannot open the cluster's stream directory (does NATS run with JetStream,"
                    + " nats-server -js?): " + e.getMessage(), e);
        }
        this.leases = recorded == null ? null : recorderLeases(registry, metrics, recorded);
        this.bridge = new OriginBridge(connection, registry, directory, config.nodeName(), clusterThread,
                leases == null ? null : leases::verify);
        this.remote = new RemoteStreams(config.nodeName(), connection, metrics, registry, clock, clusterThread);
        registry.useClaims(leases == null ? directory : (stream, hello) -> {
            directory.claim(stream, hello); // a refusal here leaves the lease alone
            leases.take(stream, hello);
        });
        connection.onReconnect(() -> {
            remote.resyncAll();
            clusterThread.execute(directory::heartbeat);
            if (leases != null) {
                clusterThread.execute(leases::renew);
            }
        });
        long refreshMillis = Math.min(config.directoryTtl().toMillis() / 3, MAX_DIRECTORY_REFRESH.toMillis());
        clusterThread.scheduleWithFixedDelay(directory::heartbeat, 0, refreshMillis, TimeUnit.MILLISECONDS);
        if (leases != null) {
            long renewMillis = leases.renewEvery().toMillis();
            clusterThread.scheduleWithFixedDelay(leases::renew, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
        }
    }

    private RecorderLeases recorderLeases(StreamRegistry registry, ClusterMetrics metrics, Predicate<String> recorded) {
        NatsLeaseStore store = new NatsLeaseStore(connection, config.recorderLease());
        try {
            store.open();
        } catch (IOException e) {
            close();
            throw new IllegalStateException("cannot open the cluster's recorder lease bucket: " + e.getMessage(), e);
        }
        return new RecorderLeases(store, config.nodeName(), config.recorderLease(), metrics, System::nanoTime, recorded,
                stream -> registry.find(stream).flatMap(Stream::localPublication).isPresent(), clusterThread);
    }

    /**
     * Joins the cluster of {@code config}.
     *
     * @param recorded which streams this node's archive records, or null without an archive: then
     *                 this node takes no recorder leases
     * @throws IllegalStateException with NATS's reason when it cannot (no server, wrong credentials, no JetStream)
     */
    public static ClusterNode join(ClusterConfig config, StreamRegistry registry, RelayClock clock, MeterRegistry meters,
                                   Predicate<String> recorded) {
        return new ClusterNode(config, registry, clock, meters, recorded);
    }

    /** What the relay adds to its stream observers. */
    public List<StreamObserver> observers() {
        return leases == null ? List.of(bridge, remote) : List.of(bridge, remote, leases);
    }

    /** The recorder leases for this node's archive: one recorder per stream across the cluster. */
    public Optional<RecordingLeases> recordingLeases() {
        return Optional.ofNullable(leases);
    }

    /** Streams live on other nodes (from the directory), for {@code /api/streams}. */
    public List<StreamInfo> streamsElsewhere() {
        long now = System.currentTimeMillis();
        return directory.elsewhere().stream().map(e -> new StreamInfo(e.stream(), Stream.State.LIVE, List.of(),
                "cluster node " + e.node(), Math.max(0, (now - e.sinceMillis()) / 1000), 0, 0, 0, 0)).toList();
    }

    /** The players of {@code stream} per node of the cluster (nodes without any left out), for {@code /api/streams}. */
    public Map<String, Integer> playersByNode(String stream) {
        return directory.playersByNode(stream);
    }

    /** One line for {@code /healthz}: connected, or degraded and why. */
    public String health() {
        String degraded = connection.degradedReason();
        return degraded == null ? "cluster: connected as node " + config.nodeName()
                : "cluster: degraded (" + degraded + ")";
    }

    @Override
    public void close() {
        if (remote != null) {
            remote.closeAll();
        }
        clusterThread.shutdown(); // after the directory entries of the streams that just stopped are gone
        try {
            clusterThread.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
    }
}
