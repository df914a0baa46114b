package dev.tunnelcast.server.transport;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.server.clock.RelayClock;
import dev.tunnelcast.server.relay.Refusal;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;

/**
 * Reads whole binary messages from a client (up to the size cap), parses each one once as
 * an {@link Envelope} and hands it on with its bytes. Refuses text frames (4400),
 * oversized messages (4413), undecodable, empty or non-canonically encoded envelopes (4400); a {@link Refusal}
 * thrown by the subclass closes the connection with its code.
 */
abstract class EnvelopeListener extends AbstractReceiveListener {

    private static final Logger log = LoggerFactory.getLogger(EnvelopeListener.class);

    protected final Connection connection;
    protected final RelayClock clock;
    private final int maxMessageBytes;
    private long receivedBytes;
    private Runnable heard = () -> { };
    private Runnable pongReceived = () -> { };

    EnvelopeListener(Connection connection, RelayClock clock, int maxMessageBytes) {
        this.connection = connection;
        this.clock = clock;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Called on the I/O thread whenever bytes arrive from the client (a message, a frame of one, a pong). */
    void onHeard(Runnable task) {
        heard = task;
    }

    /** Called for each WebSocket pong from the client (an answer to the relay's ping). */
    void onPong(Runnable task) {
        pongReceived = task;
    }

    @Override
    protected void onFullPongMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        message.getData().free();
        pongReceived.run();
    }

    @Override
    public void handleEvent(WebSocketChannel channel) {
        heard.run();
        super.handleEvent(channel);
    }

    /**
     * One parsed message.
     *
     * @param bytes the message as received, read-only, checked to be its canonical encoding
     *              ({@link CanonicalEncoding}); off-heap for the kinds that are forwarded
     */
    protected abstract void onEnvelope(Envelope envelope, ByteBuffer bytes, long receivedAtNanos) throws Refusal;

    /**
     * Media and configs go to every player: their one shared copy lives off-heap, so that
     * the JDK does not copy it into a temporary direct buffer once per player and write.
     */
    private static boolean isForwarded(Envelope envelope) {
        return envelope.getKindCase() == Envelope.KindCase.TRACK_CONFIG
                || envelope.getKindCase() == Envelope.KindCase.MEDIA_PACKET;
    }

    @Override
    protected void onBinary(WebSocketChannel channel, StreamSourceFrameChannel frames) {
        // Undertow closes the message's channel at once when a frame header announces more
        // than this (now for the first frame, later for each continuation frame's header):
        // a message over the cap is refused before its body arrives.
        boolean open = frames.isOpen(); // an empty message's channel is already done
        frames.setMaxStreamSize(maxMessageBytes);
        if (open && !frames.isOpen()) {
            refuseTooBig();
            return;
        }
        new MessageReader(frames, !connection.isClosing()).readAvailable();
    }

    private void refuseTooBig() {
        connection.refuse(CloseCode.CLOSE_CODE_MESSAGE_TOO_BIG, "message over " + maxMessageBytes + " bytes (--max-message-bytes)");
    }

    @Override
    protected void onText(WebSocketChannel channel, StreamSourceFrameChannel frames) {
        connection.refuse(CloseCode.CLOSE_CODE_BAD_MESSAGE, "text frames are not accepted; send binary protobuf Envelopes");
        new MessageReader(frames, false).readAvailable();
    }

    @Override
    protected void onCloseMessage(CloseMessage message, WebSocketChannel channel) {
        connection.peerClosed(message.getCode(), message.getReason());
    }

    @Override
    protected void onError(WebSocketChannel channel, Throwable error) {
        failed(error);
    }

    private void failed(Throwable error) {
        log.debug("{}: {}", connection, error.toString());
        connection.release();
        connection.socket().closeNow();
    }

    /** Message bytes received on this connection so far (the I/O thread's), for a Pong's {@code received_bytes}. */
    protected long receivedBytes() {
        return receivedBytes;
    }

    /** What the WebSocket message handler does with one whole binary message. */
    void deliver(byte[] message) {
        long receivedAtNanos = clock.monotonicNanos();
        receivedBytes += message.length;
        Envelope envelope;
        try {
            CodedInputStream input = CodedInputStream.newInstance(message);
            input.enableAliasing(true);
            envelope = Envelope.parseFrom(input);
        } catch (InvalidProtocolBufferException e) {
            connection.refuse(CloseCode.CLOSE_CODE_BAD_MESSAGE, "not a valid Envelope: " + e.getMessage());
            return;
        } catch (IOException e) {
            connection.refuse(CloseCode.CLOSE_CODE_BAD_MESSAGE, "not a valid Envelope");
            return;
        }
        if (envelope.getKindCase() == Envelope.KindCase.KIND_NOT_SET) {
            connection.refuse(CloseCode.CLOSE_CODE_BAD_MESSAGE, "empty Envelope (no message kind set)");
            return;
        }
        try {
            onEnvelope(envelope, CanonicalEncoding.of(envelope, message, isForwarded(envelope)), receivedAtNanos);
        } catch (Refusal refusal) {
            connection.refuse(refusal.code(), refusal.detail());
        } catch (RuntimeException e) {
            log.error("{}: internal error on {}", connection, envelope.getKindCase(), e);
            connection.refuse(CloseCode.CLOSE_CODE_INTERNAL_ERROR, "internal error");
        }
    }

    /**
     * Gathers one message's frames into pooled buffers, counting against the cap, then copies
     * it into one exact array. With {@code keep} false the message is read and thrown away
     * (after a refusal, until the close completes).
     */
    private final class MessageReader implements ChannelListener<StreamSourceFrameChannel> {
        private final StreamSourceFrameChannel frames;
        private final List<PooledByteBuffer> parts = new ArrayList<>(2);
        private boolean keep;
        private int size;

        MessageReader(StreamSourceFrameChannel frames, boolean keep) {
            this.frames = frames;
            this.keep = keep;
        }

        private boolean waiting;

        @Override
        public void handleEvent(StreamSourceFrameChannel channel) {
            heard.run();
            readAvailable();
        }

        void readAvailable() {
            try {
                for (;;) {
                    ByteBuffer target = writable();
                    int read = frames.read(target);
                    if (read == -1) {
                        if (waiting) {
                            frames.suspendReads();
                        }
                        byte[] message = keep ? assemble() : null;
                        release();
                        if (message != null) {
                            deliver(message);
                        }
                        return;
                    }
                    if (read == 0) {
                        if (!waiting) {
                            waiting = true;
                            frames.getReadSetter().set(this);
                        }
                        frames.resumeReads();
                        return;
                    }
                    size += read;
                    if (keep && size > maxMessageBytes) {
                        keep = false;
                        release();
                        refuseTooBig();
                        continue;
                    }
                    if (!keep) {
                        target.clear();
                    }
                }
            } catch (IOException e) {
                release();
                if (!frames.isOpen() && connection.socket().isOpen()) {
                    refuseTooBig(); // a continuation frame's header went over the cap (see onBinary)
                } else {
                    failed(e);
                }
            }
        }

        private ByteBuffer writable() {
            if (!parts.isEmpty()) {
                ByteBuffer last = parts.get(parts.size() - 1).getBuffer();
                if (last.hasRemaining()) {
                    return last;
                }
            }
            PooledByteBuffer pooled = connection.socket().bufferPool().allocate();
            parts.add(pooled);
            return pooled.getBuffer();
        }

        private byte[] assemble() {
            byte[] message = new byte[size];
            int offset = 0;
            for (PooledByteBuffer part : parts) {
                ByteBuffer buffer = part.getBuffer();
                buffer.flip();
                int n = buffer.remaining();
                buffer.get(message, offset, n);
                offset += n;
            }
            return message;
        }

        private void release() {
            for (PooledByteBuffer part : parts) {
                part.close();
            }
            parts.clear();
        }
    }
}
