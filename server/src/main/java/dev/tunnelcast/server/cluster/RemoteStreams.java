package dev.tunnelcast.server.cluster;

import dev.tunnelcast.server.clock.RelayClock;
import dev.tunnelcast.server.relay.Stream;
import dev.tunnelcast.server.relay.StreamObserver;
import dev.tunnelcast.server.relay.StreamRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Which streams this node takes from other nodes: one {@link RemoteStreamSource} per stream
 * from its first player here to its last, unless its publisher is connected here. All
 * changes run on the cluster thread, in the order the stream reported them.
 */
final class RemoteStreams implements StreamObserver {

    private final String node;
    private final ClusterConnection connection;
    private final ClusterMetrics metrics;
    private final StreamRegistry registry;
    private final RelayClock clock;
    private final Executor clusterThread;
    /** Touched on the cluster thread only. */
    private final Map<String, RemoteStreamSource> sources = new HashMap<>();

    RemoteStreams(String node, ClusterConnection connection, ClusterMetrics metrics, StreamRegistry registry,
                  RelayClock clock, Executor clusterThread) {
        this.node = node;
        this.connection = connection;
        this.metrics = metrics;
        this.registry = registry;
        this.clock = clock;
        this.clusterThread = clusterThread;
    }

    @Override
    public void firstPlayerJoined(String stream) {
        clusterThread.execute(() -> start(stream));
    }

    /** A publisher connected here: this node is the stream's source now. */
    @Override
    public void publisherStarted(String stream, String sessionId) {
        clusterThread.execute(() -> stop(stream));
    }

    /** The local publisher left while players stay: its successor may publish through another node. */
    @Override
    public void publisherStopped(String stream, String sessionId) {
        clusterThread.execute(() -> {
            if (registry.find(stream).map(s -> s.info().players() > 0).orElse(false)) {
                start(stream);
            }
        });
    }

    @Override
    public void lastPlayerLeft(String stream) {
        clusterThread.execute(() -> stop(stream));
    }

    private void stop(String stream) {
        RemoteStreamSource source = sources.remove(stream);
        if (source != null) {
            metrics.remoteStreams(sources.size());
            source.close();
        }
    }

    private void start(String stream) {
        if (sources.containsKey(stream) || registry.find(stream).flatMap(Stream::localPublication).isPresent()) {
            return;
        }
        RemoteStreamSource source = new RemoteStreamSource(stream, node, connection, metrics, registry, clock);
        sources.put(stream, source);
        metrics.remoteStreams(sources.size());
        source.open();
    }

    /** NATS is back: every source asks again for its stream's configs and a keyframe. */
    void resyncAll() {
        clusterThread.execute(() -> sources.values().forEach(RemoteStreamSource::resync));
    }

    void closeAll() {
        clusterThread.execute(() -> {
            sources.values().forEach(RemoteStreamSource::close);
            sources.clear();
        });
    }
}
