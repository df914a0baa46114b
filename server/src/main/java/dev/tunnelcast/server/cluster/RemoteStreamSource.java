package dev.tunnelcast.server.cluster;

import com.google.protobuf.CodedInputStream;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.server.clock.RelayClock;
import dev.tunnelcast.server.relay.PublisherExit;
import dev.tunnelcast.server.relay.PublisherHello;
import dev.tunnelcast.server.relay.Refusal;
import dev.tunnelcast.server.relay.Stream;
import dev.tunnelcast.server.relay.StreamRegistry;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one stream of this node from its publisher on another node, while this node has
 * players of it: subscribes to the stream's subject, asks the publisher's node for the
 * current TrackConfigs (then a keyframe), and hands every envelope to the node's own
 * {@link Stream} in the name of a {@link RemotePublisher}, so that the GOP cache, the player
 * queues and the drop policy are the ones of a local publisher. The publisher's online and
 * offline events attach and detach that remote publisher.
 *
 * <p>Its methods run on the NATS dispatcher thread (messages), a NATS reply thread (the
 * configs) and the cluster thread (open, close, resync), under the source's lock; the lock
 * order is source, then stream.
 */
final class RemoteStreamSource {

    private static final Logger log = LoggerFactory.getLogger(RemoteStreamSource.class);
    private static final Duration CONFIGS_TIMEOUT = Duration.ofSeconds(3);

    private final String stream;
    private final String node;
    private final ClusterConnection connection;
    private final ClusterMetrics metrics;
    private final StreamRegistry registry;
    private final RelayClock clock;

    private Subscription subscription;
    private RemotePublisher publisher;
    private Stream target;
    private boolean closed;
    private long attachments;
    /**
     * TrackConfigs that arrived before the publisher was attached (between subscribing and the
     * configs reply, which travel different ways): applied after the reply's, so none is lost.
     * Keyed by track and layer: each layer of a simulcast track has a config of its own.
     */
    private final java.util.Map<Long, byte[]> earlyConfigs = new java.util.TreeMap<>();

    RemoteStreamSource(String stream, String node, ClusterConnection connection, ClusterMetrics metrics,
                       StreamRegistry registry, RelayClock clock) {
        this.stream = stream;
        this.node = node;
        this.connection = connection;
        this.metrics = metrics;
        this.registry = registry;
        this.clock = clock;
    }

    synchronized void open() {
        subscription = connection.dispatcher().subscribe(StreamSubjects.media(stream), this::onMessage);
        resync();
    }

    /** Asks the publisher's node (if any) for the TrackConfigs: at the start, and after NATS came back. */
    void resync() {
        connection.request(StreamSubjects.control(stream),
                        ClusterHeaders.publisher(ClusterHeaders.REQUEST, ClusterHeaders.CONFIGS, node, null), CONFIGS_TIMEOUT)
                .whenComplete((reply, error) -> {
                    if (error == null) {
                        applySnapshot(reply);
                    } // no responders: no publisher anywhere yet; its online event will come
                });
    }

    private synchronized void applySnapshot(Message reply) {
        if (closed || !ClusterHeaders.ONLINE.equals(ClusterHeaders.kind(reply, ClusterHeaders.EVENT))) {
            return;
        }
        metrics.received(reply.getData().length);
        if (!attach(reply)) {
            return;
        }
        try {
            CodedInputStream input = CodedInputStream.newInstance(reply.getData());
            while (!input.isAtEnd()) {
                apply(input.readByteArray());
            }
        } catch (IOException e) {
            log.warn("stream {}: unreadable TrackConfigs from node {}: {}", stream, ClusterHeaders.node(reply), e.getMessage());
        }
        earlyConfigs.values().forEach(this::apply);
        earlyConfigs.clear();
        requestKeyframe("a node joined the stream");
    }

    private synchronized void onMessage(Message message) {
        byte[] data = message.getData();
        metrics.received(data == null ? 0 : data.length);
        if (closed) {
            return;
        }
        String event = ClusterHeaders.kind(message, ClusterHeaders.EVENT);
        if (event != null) {
            if (node.equals(ClusterHeaders.node(message))) {
                return; // this node's own publication
            }
            earlyConfigs.clear();
            if (ClusterHeaders.ONLINE.equals(event)) {
                attach(message);
            } else if (ClusterHeaders.OFFLINE.equals(event) && publisher != null
                    && publisher.originNode().equals(ClusterHeaders.node(message))) { // not a node it moved away from
                detach(PublisherExit.clean("the publisher left (on cluster node " + ClusterHeaders.node(message) + ")"));
            }
            return;
        }
        if (publisher == null) {
            keepIfConfig(data);
            metrics.dropped(ClusterMetrics.Drop.NOT_APPLICABLE);
            return;
        }
        apply(data);
    }

    private void keepIfConfig(byte[] data) {
        try {
            Envelope envelope = Envelope.parseFrom(data);
            if (envelope.hasTrackConfig()) {
                TrackConfig config = envelope.getTrackConfig();
                earlyConfigs.put((long) config.getTrackId() << 32 | config.getLayer(), data);
            }
        } catch (IOException e) {
            // not an envelope: nothing to keep
        }
    }

    /** Makes a new remote publisher the stream's publisher (taking over this source's previous one). */
    private boolean attach(Message announcement) {
        PublisherHello hello = ClusterHeaders.hello(announcement);
        String origin = ClusterHeaders.node(announcement);
        RemotePublisher[] self = new RemotePublisher[1];
        self[0] = new RemotePublisher("cluster-" + origin + "-" + ++attachments, stream, origin,
                this::requestKeyframe, () -> released(self[0]));
        try {
            target = registry.attachPublisher(self[0], hello, Envelope.getDefaultInstance());
            publisher = self[0];
            return true;
        } catch (Refusal refusal) {
            log.info("stream {}: not taking it from node {}: {}", stream, origin, refusal.detail());
            publisher = null;
            return false;
        }
    }

    private void detach(PublisherExit exit) {
        if (publisher != null) {
            registry.detachPublisher(target, publisher, exit);
            publisher = null;
        }
    }

    /** The stream let {@code peer} go: taken over (by a local publisher, or this source's next), or shut down. */
    private synchronized void released(RemotePublisher peer) {
        if (publisher == peer) {
            publisher = null;
        }
    }

    private void apply(byte[] data) {
        Envelope envelope;
        try {
            envelope = Envelope.parseFrom(data);
        } catch (IOException e) {
            metrics.dropped(ClusterMetrics.Drop.NOT_APPLICABLE);
            return;
        }
        // Off-heap, as a local publisher's bytes (EnvelopeListener): one copy per node, shared by its players.
        ByteBuffer bytes = ByteBuffer.allocateDirect(data.length).put(data).flip().asReadOnlyBuffer();
        try {
            target.publish(publisher, envelope, bytes, clock.monotonicNanos());
        } catch (Refusal | IllegalArgumentException notApplicable) {
            // e.g. a packet of a track whose TrackConfig this node has not seen yet (joining mid-way)
            metrics.dropped(ClusterMetrics.Drop.NOT_APPLICABLE);
        }
    }

    private void requestKeyframe(String reason) {
        connection.publish(StreamSubjects.control(stream),
                ClusterHeaders.publisher(ClusterHeaders.REQUEST, ClusterHeaders.KEYFRAME, node, null),
                reason.getBytes(StandardCharsets.UTF_8));
    }

    /** The last player left: unsubscribe, and let the stream's grace period run out here. */
    synchronized void close() {
        closed = true;
        if (subscription != null) {
            connection.dispatcher().unsubscribe(subscription);
        }
        detach(PublisherExit.clean("no players left on this node"));
    }
}
