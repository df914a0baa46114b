package dev.tunnelcast.server.cluster;

import com.google.protobuf.CodedOutputStream;
import dev.tunnelcast.server.relay.PublicationSnapshot;
import dev.tunnelcast.server.relay.PublisherHello;
import dev.tunnelcast.server.relay.Stream;
import dev.tunnelcast.server.relay.StreamObserver;
import dev.tunnelcast.server.relay.StreamRegistry;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The publishing side of the cluster: every envelope that a publisher connected to this node
 * sends goes to its stream's NATS subject byte for byte (whether or not another node
 * listens: NATS forwards only to interest), framed by online and offline events; while the
 * publisher is here this node answers the stream's control subject (the TrackConfigs for a
 * node that joins mid-way, keyframe requests for players elsewhere) and keeps its directory
 * entry.
 */
final class OriginBridge implements StreamObserver {

    private final ClusterConnection connection;
    private final StreamRegistry registry;
    private final StreamDirectory directory;
    private final String node;
    private final Executor clusterThread;
    /** Null without recorder leases (no archive): then a takeover yields at once, on the dispatcher thread. */
    private final Consumer<String> checkRecorderLease;
    private final ConcurrentHashMap<String, Subscription> controls = new ConcurrentHashMap<>();
    /** The stream's own subject: silent (no echo) unless another node publishes the stream too. */
    private final ConcurrentHashMap<String, Subscription> rivals = new ConcurrentHashMap<>();

    OriginBridge(ClusterConnection connection, StreamRegistry registry, StreamDirectory directory, String node,
                 Executor clusterThread, Consumer<String> checkRecorderLease) {
        this.connection = connection;
        this.registry = registry;
        this.directory = directory;
        this.node = node;
        this.clusterThread = clusterThread;
        this.checkRecorderLease = checkRecorderLease;
    }

    @Override
    public void publisherStarted(String stream, String sessionId) {
        PublisherHello hello = registry.find(stream).flatMap(Stream::localPublication)
                .map(PublicationSnapshot::hello).orElse(PublisherHello.PLAIN);
        // Answer configs requests before announcing: NATS handles one connection's SUB and PUB in order, so a
        // node that missed the online event (it subscribed just after) finds the responder when it asks.
        // Announced first, a request in between met no responder and that node's players got nothing.
        controls.computeIfAbsent(stream, s -> connection.dispatcher().subscribe(StreamSubjects.control(s),
                message -> answer(s, message)));
        rivals.computeIfAbsent(stream, s -> connection.dispatcher().subscribe(StreamSubjects.media(s),
                message -> yieldIfTakenOver(s, message)));
        connection.publish(StreamSubjects.media(stream),
                ClusterHeaders.publisher(ClusterHeaders.EVENT, ClusterHeaders.ONLINE, node, hello), new byte[0]);
        clusterThread.execute(() -> directory.published(stream, hello));
    }

    @Override
    public void envelope(String stream, ByteBuffer bytes) {
        ByteBuffer copy = bytes.duplicate();
        byte[] data = new byte[copy.remaining()];
        copy.get(data);
        connection.publish(StreamSubjects.media(stream), null, data);
    }

    @Override
    public void publisherStopped(String stream, String sessionId) {
        connection.publish(StreamSubjects.media(stream),
                ClusterHeaders.publisher(ClusterHeaders.EVENT, ClusterHeaders.OFFLINE, node, null), new byte[0]);
        for (Subscription subscription : new Subscription[] {controls.remove(stream), rivals.remove(stream)}) {
            if (subscription != null) {
                connection.dispatcher().unsubscribe(subscription);
            }
        }
        clusterThread.execute(() -> directory.unpublished(stream));
    }

    /**
     * On the dispatcher thread: another node announced a publisher of a stream published here,
     * which its directory claim allowed (the same instance reconnected there, or a takeover).
     */
    private void yieldIfTakenOver(String stream, Message message) {
        String other = ClusterHeaders.node(message);
        if (ClusterHeaders.ONLINE.equals(ClusterHeaders.kind(message, ClusterHeaders.EVENT)) && !node.equals(other)) {
            Runnable yieldStream = () -> registry.find(stream).ifPresent(s -> s.yieldLocalPublisher(
                    "the publisher of stream " + stream + " went on through cluster node " + other));
            if (checkRecorderLease == null) {
                yieldStream.run();
                return;
            }
            clusterThread.execute(() -> { // the lease first (a key-value read): the segment ends as "lease lost"
                checkRecorderLease.accept(stream);
                yieldStream.run();
            });
        }
    }

    /** On the dispatcher thread: a request from another node about a stream published here. */
    private void answer(String stream, Message request) {
        String kind = ClusterHeaders.kind(request, ClusterHeaders.REQUEST);
        Optional<Stream> local = registry.find(stream);
        if (ClusterHeaders.KEYFRAME.equals(kind)) {
            local.ifPresent(s -> s.requestKeyframe("a player on node " + ClusterHeaders.node(request) + " needs a keyframe"));
            return;
        }
        if (!ClusterHeaders.CONFIGS.equals(kind) || request.getReplyTo() == null) {
            return;
        }
        Optional<PublicationSnapshot> publication = local.flatMap(Stream::localPublication);
        if (publication.isEmpty()) {
            connection.publish(request.getReplyTo(),
                    ClusterHeaders.publisher(ClusterHeaders.EVENT, ClusterHeaders.OFFLINE, node, null), new byte[0]);
            return;
        }
        connection.publish(request.getReplyTo(), ClusterHeaders.publisher(ClusterHeaders.EVENT, ClusterHeaders.ONLINE,
                node, publication.get().hello()), delimited(publication.get()));
    }

    /** The TrackConfig envelopes, each preceded by its length (protobuf's delimited form). */
    private static byte[] delimited(PublicationSnapshot publication) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            CodedOutputStream coded = CodedOutputStream.newInstance(out);
            for (ByteBuffer config : publication.trackConfigs()) {
                ByteBuffer bytes = config.duplicate();
                coded.writeUInt32NoTag(bytes.remaining());
                coded.writeRawBytes(bytes);
            }
            coded.flush();
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen: writing to memory", e);
        }
        return out.toByteArray();
    }

    /** The streams published here now (for the directory's heartbeat). */
    java.util.Set<String> localStreams() {
        return controls.keySet();
    }
}
