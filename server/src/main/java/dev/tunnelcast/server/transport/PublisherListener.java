package dev.tunnelcast.server.transport;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Hello;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.server.clock.RelayClock;
import dev.tunnelcast.server.metrics.RelayMetrics;
import dev.tunnelcast.server.relay.PublisherExit;
import dev.tunnelcast.server.relay.PublisherHello;
import dev.tunnelcast.server.relay.Refusal;
import dev.tunnelcast.server.relay.Stream;
import dev.tunnelcast.server.relay.StreamRegistry;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A publisher's side of the conversation: claims the stream at Hello, then feeds it. */
final class PublisherListener extends ClientListener {

    private final StreamRegistry registry;
    private final RelayMetrics metrics;
    private volatile Stream stream;
    /** The publisher sent a close frame: it left, rather than lost its connection. */
    private volatile boolean closeFrameReceived;

    PublisherListener(Connection connection, RelayClock clock, int maxMessageBytes, StreamRegistry registry,
                      RelayMetrics metrics) {
        super(connection, clock, maxMessageBytes, Role.ROLE_PUBLISHER);
        this.registry = registry;
        this.metrics = metrics;
    }

    @Override
    protected void admit(Hello hello, Envelope welcome) throws Refusal {
        Stream attached = registry.attachPublisher(connection, PublisherHello.of(hello), welcome);
        stream = attached;
        if (connection.isClosing()) {
            // The socket failed while being admitted (e.g. writing Welcome): closed() may have run
            // before the stream was known, so give the stream (and its room seat) back here.
            registry.detachPublisher(attached, connection, PublisherExit.lost("connection lost while admitted"));
        }
    }

    @Override
    protected void onMessage(Envelope envelope, ByteBuffer bytes, long receivedAtNanos) throws Refusal {
        switch (envelope.getKindCase()) {
            case TRACK_CONFIG, MEDIA_PACKET -> {
                metrics.received(bytes.remaining());
                stream.publish(connection, envelope, bytes, receivedAtNanos);
            }
            case PUBLISHER_STATE -> stream.updatePublisherState(connection, envelope.getPublisherState());
            case END_OF_STREAM -> {
                String reason = envelope.getEndOfStream().getReason();
                registry.detachPublisher(stream, connection,
                        PublisherExit.clean("end of stream" + (reason.isEmpty() ? "" : ": " + reason)));
                connection.close(CloseCode.CLOSE_CODE_NORMAL, "end of stream");
            }
            default -> throw new Refusal(CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION,
                    "a publisher may not send " + envelope.getKindCase());
        }
    }

    /**
     * A close frame from the publisher. Undertow also reports a connection that ended without
     * one as a close message (1001, "peer went away"), but only a real frame passes here.
     */
    @Override
    protected void onFullCloseMessage(WebSocketChannel channel, BufferedBinaryMessage message) throws IOException {
        closeFrameReceived = true;
        super.onFullCloseMessage(channel, message);
    }

    @Override
    void closed(String reason) {
        Stream s = stream;
        if (s != null) {
            registry.detachPublisher(s, connection, closeFrameReceived ? PublisherExit.clean(reason) : PublisherExit.lost(reason));
        }
    }
}
