package dev.tunnelcast.server.relay;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.Envelope;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;

/**
 * One client of a stream as the relay core sees it, a publisher or a player, on whatever
 * carries it (the transport package implements it over a WebSocket). The core sends and
 * closes through this interface only and never sees a socket. Thread-safe.
 */
public interface Peer {

    /** The outcome of one {@link #send}. */
    interface SendCompletion {
        void sent();

        void failed(Throwable error);
    }

    String sessionId();

    /** The stream name the client asked for. */
    String stream();

    /** {@code address:port}, for logs and the streams API. */
    String remoteAddress();

    /**
     * Sends one relay-made message (Welcome, Status, KeyframeRequest, a publisher's Pong) at
     * once, outside any queue; a player's Pong goes through its queue instead.
     */
    void sendControl(Envelope envelope);

    /**
     * Starts writing {@code frames[0..count)}, complete WebSocket frames as built by
     * {@link RelayedMessage#frame()}, in order with one gathering write as far as the socket
     * takes them; {@code done} is called once when all are written or the write failed, on the
     * peer's I/O thread, possibly before this returns. One send at a time; the array and the
     * buffers are the caller's again once {@code done} ran.
     */
    void send(ByteBuffer[] frames, int count, SendCompletion done);

    /**
     * Runs {@code task} on the thread that writes to this peer.
     *
     * @throws java.util.concurrent.RejectedExecutionException when that thread is shutting down
     */
    default void execute(Runnable task) {
        writer().execute(task);
    }

    /**
     * The thread that writes to this peer, as an executor: the same object for every peer that
     * thread serves, so that a fan-out starts one task per thread, not one per player.
     */
    Executor writer();

    /**
     * Runs {@code task} on the thread that writes to this peer ({@link #writer()}) after
     * {@code delayMillis}.
     *
     * @throws java.util.concurrent.RejectedExecutionException when that thread is shutting down
     */
    void executeAfter(Runnable task, long delayMillis);

    /**
     * Asks the kernel to buffer at most about this many bytes for the client's socket
     * ({@code SO_SNDBUF}, which Linux doubles); a peer without a socket of its own ignores it.
     */
    default void limitSendBuffer(int bytes) {
    }

    /** Refuses the client: {@code Status{REFUSED}}, then a close frame with {@code code}. Later calls do nothing. */
    void refuse(CloseCode code, String detail);

    /** Ends a player's stream: {@code EndOfStream}, then close with 4410. */
    void endStream(String detail);

    /** Closes without a refusal (1000 after the peer's EndOfStream, 1001 at shutdown). */
    void close(CloseCode code, String detail);

    /**
     * Whether the client is connected to this relay node; false for a publisher on another node
     * of the cluster, whose messages arrive over NATS. Stream observers see only local publishers.
     */
    default boolean isLocal() {
        return true;
    }
}
