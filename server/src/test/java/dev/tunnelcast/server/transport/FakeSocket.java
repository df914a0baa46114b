package dev.tunnelcast.server.transport;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.server.metrics.RelayMetrics;
import dev.tunnelcast.server.relay.Peer;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * One client's WebSocket as the relay's code sees it ({@link ClientSocket}), without the
 * socket: it records every binary message the relay writes and the close code it sends, and
 * runs the work meant for the socket's I/O thread at once, so that a fuzz input plays out on
 * one thread. Delayed work (the close linger, a write merge) never runs by itself: it is kept
 * for a test to run ({@link #runDelayed()}). As on Undertow's channel, a message
 * sent after the close frame fails, and a failure without a completion closes the socket.
 */
final class FakeSocket implements ClientSocket {

    private static final InetSocketAddress ADDRESS = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    private static final ByteBufferPool BUFFERS = new DefaultByteBufferPool(false, 16 * 1024);

    private final List<byte[]> sent = new ArrayList<>();
    /** {@link #sent} parsed, as far as {@link #received()} has read it. */
    private final List<Envelope> parsed = new ArrayList<>();
    /** How many frames each gathering write ({@link #sendFrames}) carried, in order. */
    private final List<Integer> gatheredWrites = new ArrayList<>();
    private int closeCode = -1;
    private boolean open = true;
    private final Executor ioThread;
    /** Work given to {@link #executeAfter}, with its delay, not yet run. */
    private final List<Delayed> delayed = new ArrayList<>();

    /** One task given to {@link #executeAfter}. */
    record Delayed(Runnable task, long delayMillis) {}

    /** A socket whose I/O-thread work runs at once on the caller's thread. */
    FakeSocket() {
        this(Runnable::run);
    }

    /** A socket whose I/O-thread work goes to {@code ioThread} (e.g. to count the tasks). */
    FakeSocket(Executor ioThread) {
        this.ioThread = ioThread;
    }

    Connection connect(RelayMetrics.Role role, String stream, RelayMetrics metrics) {
        return new Connection(this, role.name().toLowerCase() + "-session", role, stream, metrics);
    }

    @Override
    public InetSocketAddress sourceAddress() {
        return ADDRESS;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isCloseFrameSent() {
        return closeCode >= 0;
    }

    @Override
    public void send(ByteBuffer message) {
        if (!write(message)) {
            closeNow();
        }
    }

    @Override
    public void sendFrames(ByteBuffer[] frames, int count, Peer.SendCompletion done) {
        gatheredWrites.add(count);
        for (int i = 0; i < count; i++) {
            if (!write(payloadOf(frames[i]))) {
                done.failed(new IOException("channel closed"));
                return;
            }
        }
        done.sent();
    }

    /** The payload of a final, unmasked frame as the relay builds them (header of 2, 4 or 10 bytes). */
    private static ByteBuffer payloadOf(ByteBuffer frame) {
        int length7 = frame.get(frame.position() + 1) & 0x7F;
        int header = length7 < 126 ? 2 : length7 == 126 ? 4 : 10;
        return frame.slice(frame.position() + header, frame.remaining() - header);
    }

    /** Records the message, or false where Undertow's channel would throw: after the close frame. */
    private boolean write(ByteBuffer message) {
        if (!open || closeCode >= 0) {
            return false;
        }
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        sent.add(bytes);
        return true;
    }

    @Override
    public void sendPing() {
        // the fake peer is always there: nothing to record
    }

    @Override
    public void sendClose(int code, String reason) {
        if (!open || closeCode >= 0) {
            closeNow();
            return;
        }
        closeCode = code;
    }

    @Override
    public Executor ioThread() {
        return ioThread;
    }

    @Override
    public void executeAfter(Runnable task, long delayMillis) {
        delayed.add(new Delayed(task, delayMillis)); // timers never fire by themselves: one input plays out deterministically
    }

    /** The delayed work not yet run. */
    List<Delayed> delayed() {
        return Collections.unmodifiableList(delayed);
    }

    /** Runs the delayed work given so far (as if its time had come), in order. */
    void runDelayed() {
        List<Delayed> due = new ArrayList<>(delayed);
        delayed.clear();
        due.forEach(d -> d.task().run());
    }

    @Override
    public void closeNow() {
        open = false;
    }

    @Override
    public ByteBufferPool bufferPool() {
        return BUFFERS;
    }

    @Override
    public void setSendBuffer(int bytes) {
        // no kernel socket
    }

    /** The close code the relay sent, or -1. */
    int closeCode() {
        return closeCode;
    }

    /**
     * Every binary message the relay sent so far, parsed (each message once, however often
     * this is asked); a message that does not parse fails. Index i is {@code sentBytes().get(i)}.
     */
    List<Envelope> received() {
        for (int i = parsed.size(); i < sent.size(); i++) {
            try {
                parsed.add(Envelope.parseFrom(sent.get(i)));
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("the relay sent an unparseable message", e);
            }
        }
        return Collections.unmodifiableList(parsed);
    }

    /** How many frames each gathering write carried, in order. */
    List<Integer> gatheredWriteSizes() {
        return Collections.unmodifiableList(gatheredWrites);
    }

    List<byte[]> sentBytes() {
        return Collections.unmodifiableList(sent);
    }
}
