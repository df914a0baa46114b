package dev.tunnelcast.server.transport;

import dev.tunnelcast.server.relay.Peer;
import io.undertow.connector.ByteBufferPool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;

/**
 * What the transport uses of one client's WebSocket, and nothing more: sending binary
 * messages and the close frame, its I/O thread, its buffers and closing it hard. The one
 * production implementation is {@link UndertowClientSocket}; keeping {@link Connection} and
 * the listeners on this narrow seam lets tests drive them with a plain fake. Thread-safe:
 * any thread may send, as on Undertow's channel.
 */
interface ClientSocket {

    /** The client's address, or null when it is not known. */
    InetSocketAddress sourceAddress();

    boolean isOpen();

    boolean isCloseFrameSent();

    /** Starts sending one binary message; a failure closes the socket. */
    void send(ByteBuffer message);

    /**
     * Starts writing {@code frames[0..count)}, complete WebSocket frames, with one gathering
     * write, never inside one of the socket's own frames (a Welcome, a ping, the close); what
     * the kernel does not take at once is written when the socket is writable, and the
     * socket's own frames wait for it. {@code done} is called once when all are written or
     * failed, on the socket's I/O thread, possibly before this returns. One call at a time,
     * on the I/O thread.
     */
    void sendFrames(ByteBuffer[] frames, int count, Peer.SendCompletion done);

    /** Starts sending a WebSocket ping (empty payload); a failure closes the socket. */
    void sendPing();

    /** Starts sending the close frame; a failure closes the socket. */
    void sendClose(int code, String reason);

    /** The socket's I/O thread as an executor (runs a task on it): the same object for every socket it serves. */
    Executor ioThread();

    /** Runs {@code task} on the socket's I/O thread after {@code delayMillis}. */
    void executeAfter(Runnable task, long delayMillis);

    /** Closes the socket at once, without a close frame; errors are ignored. */
    void closeNow();

    /** Where the buffers that received messages are read into come from. */
    ByteBufferPool bufferPool();

    /** Sets the kernel's send buffer of the socket. */
    void setSendBuffer(int bytes) throws IOException;
}
