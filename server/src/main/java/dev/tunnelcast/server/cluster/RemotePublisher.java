package dev.tunnelcast.server.cluster;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.Envelope;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The publisher of a stream on another node, as this node's {@code Stream} sees it: the
 * stream's media arrive over NATS in its name, and what the stream would send the publisher
 * (a KeyframeRequest) goes back over NATS. It is never a player and has no socket.
 */
final class RemotePublisher implements dev.tunnelcast.server.relay.Peer {

    private final String sessionId;
    private final String stream;
    private final String originNode;
    private final Consumer<String> keyframeRequests;
    private final Runnable releasedByStream;

    /**
     * @param keyframeRequests gets the reason of each KeyframeRequest the stream sends
     * @param releasedByStream runs when the stream lets this publisher go (taken over, shut down)
     */
    RemotePublisher(String sessionId, String stream, String originNode, Consumer<String> keyframeRequests,
                    Runnable releasedByStream) {
        this.sessionId = sessionId;
        this.stream = stream;
        this.originNode = originNode;
        this.keyframeRequests = keyframeRequests;
        this.releasedByStream = releasedByStream;
    }

    @Override
    public String sessionId() {
        return sessionId;
    }

    @Override
    public String stream() {
        return stream;
    }

    /** The node the publisher is connected to. */
    String originNode() {
        return originNode;
    }

    @Override
    public String remoteAddress() {
        return "cluster node " + originNode;
    }

    @Override
    public void sendControl(Envelope envelope) {
        if (envelope.getKindCase() == Envelope.KindCase.KEYFRAME_REQUEST) {
            keyframeRequests.accept(envelope.getKeyframeRequest().getReason());
        } // Welcome and room events are for a publisher's own socket, on its own node
    }

    @Override
    public void send(ByteBuffer[] frames, int count, SendCompletion done) {
        throw new UnsupportedOperationException("a remote publisher is not a player");
    }

    @Override
    public Executor writer() {
        throw new UnsupportedOperationException("a remote publisher is not a player");
    }

    @Override
    public void executeAfter(Runnable task, long delayMillis) {
        throw new UnsupportedOperationException("a remote publisher is not a player");
    }

    @Override
    public void refuse(CloseCode code, String detail) {
        releasedByStream.run();
    }

    @Override
    public void endStream(String detail) {
        releasedByStream.run();
    }

    @Override
    public void close(CloseCode code, String detail) {
        releasedByStream.run();
    }

    @Override
    public boolean isLocal() {
        return false;
    }

    @Override
    public String toString() {
        return "remote publisher " + sessionId + " of " + stream;
    }
}
