package dev.tunnelcast.server.transport;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.EndOfStream;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Status;
import dev.tunnelcast.proto.v1.StatusCode;
import dev.tunnelcast.server.metrics.RelayMetrics;
import dev.tunnelcast.server.relay.Peer;
import dev.tunnelcast.wire.CloseCodes;
import java.net.InetSocketAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's WebSocket as the relay sees it: who it is (session id, role, stream, remote
 * address), control messages to it, and the one way to close it with a reason. The relay
 * core sees it as a {@link Peer}; it meets the socket only through {@link ClientSocket}.
 * Thread-safe: any thread may send on the socket; the close path runs once.
 */
public final class Connection implements Peer {

    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    /** How long a peer may take to answer our close frame before the socket is closed hard. */
    private static final long CLOSE_LINGER_MILLIS = 5000;

    private final ClientSocket socket;
    private final String sessionId;
    private final RelayMetrics.Role role;
    private final String stream;
    private final String remoteAddress;
    private final RelayMetrics metrics;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile Runnable releaseTask = () -> { };
    private volatile String closeReason = "connection lost";

    Connection(ClientSocket socket, String sessionId, RelayMetrics.Role role, String stream, RelayMetrics metrics) {
        this.socket = socket;
        this.sessionId = sessionId;
        this.role = role;
        this.stream = stream;
        this.metrics = metrics;
        InetSocketAddress source = socket.sourceAddress();
        this.remoteAddress = source == null ? "?" : source.getAddress().getHostAddress() + ":" + source.getPort();
    }

    ClientSocket socket() {
        return socket;
    }

    @Override
    public String sessionId() {
        return sessionId;
    }

    public RelayMetrics.Role role() {
        return role;
    }

    @Override
    public String stream() {
        return stream;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    public boolean isClosing() {
        return closing.get() || !socket.isOpen();
    }

    String closeReason() {
        return closeReason;
    }

    void peerClosed(int code, String reason) {
        if (!closing.get()) {
            closeReason = "closed by peer: " + code + (reason == null || reason.isEmpty() ? "" : " " + reason);
        }
        release(); // before Undertow answers the close frame
    }

    /** Sets what gives this client's place in its stream back (see {@link #release()}). */
    void onRelease(Runnable task) {
        releaseTask = task;
    }

    /**
     * Gives the client's place in its stream back, once. Runs as soon as the close begins,
     * before the relay's close frame (or its answer to the peer's) is sent, so that a client
     * that has seen its close complete finds its stream free when it comes back at once; the
     * socket's own close task is only a fallback, it runs a moment after the peer saw the close.
     */
    void release() {
        if (released.compareAndSet(false, true)) {
            releaseTask.run();
        }
    }

    /** Sends one relay-made message (Welcome, Status, KeyframeRequest, a publisher's Pong) outside any queue. */
    @Override
    public void sendControl(Envelope envelope) {
        if (socket.isOpen() && !socket.isCloseFrameSent()) {
            socket.send(ByteBuffer.wrap(envelope.toByteArray()));
        }
    }

    @Override
    public void send(ByteBuffer[] frames, int count, SendCompletion done) {
        socket.sendFrames(frames, count, done);
    }

    @Override
    public Executor writer() {
        return socket.ioThread();
    }

    @Override
    public void executeAfter(Runnable task, long delayMillis) {
        socket.executeAfter(task, delayMillis);
    }

    /**
     * Refuses the client: {@code Status{REFUSED}}, then a close frame with {@code code}; counted
     * in metrics and logged once. Later calls do nothing.
     */
    @Override
    public void limitSendBuffer(int bytes) {
        try {
            socket.setSendBuffer(bytes);
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("cannot set the send buffer of {}: {}", this, e.toString());
        }
    }

    @Override
    public void refuse(CloseCode code, String detail) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closeReason = describe(code, detail);
        metrics.refused(code);
        log.info("refused {} stream={} remote={} session={} code={} reason={}",
                role.name().toLowerCase(), stream, remoteAddress, sessionId, code.getNumber(), detail);
        sendControl(Envelope.newBuilder().setStatus(Status.newBuilder()
                .setCode(StatusCode.STATUS_CODE_REFUSED).setMessage(detail).setCloseCode(code.getNumber())).build());
        sendClose(code);
    }

    /** Ends a player's stream: {@code EndOfStream}, then close with 4410. */
    @Override
    public void endStream(String detail) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closeReason = describe(CloseCode.CLOSE_CODE_STREAM_ENDED, detail);
        metrics.refused(CloseCode.CLOSE_CODE_STREAM_ENDED);
        sendControl(Envelope.newBuilder().setEndOfStream(EndOfStream.newBuilder().setReason(detail)).build());
        sendClose(CloseCode.CLOSE_CODE_STREAM_ENDED);
    }

    /** Closes without a refusal (1000 after the peer's EndOfStream, 1001 at shutdown). */
    @Override
    public void close(CloseCode code, String detail) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closeReason = describe(code, detail);
        sendClose(code);
    }

    private void sendClose(CloseCode code) {
        release();
        if (!socket.isOpen()) {
            return;
        }
        if (!socket.isCloseFrameSent()) {
            socket.sendClose(code.getNumber(), CloseCodes.reason(code));
        }
        socket.executeAfter(socket::closeNow, CLOSE_LINGER_MILLIS);
    }

    private static String describe(CloseCode code, String detail) {
        return code.getNumber() + " " + CloseCodes.shortName(code) + ": " + detail;
    }

    @Override
    public String toString() {
        return role.name().toLowerCase() + " " + sessionId + " stream=" + stream + " remote=" + remoteAddress;
    }
}
