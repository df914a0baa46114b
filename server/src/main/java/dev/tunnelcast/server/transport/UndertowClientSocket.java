package dev.tunnelcast.server.transport;

import dev.tunnelcast.server.relay.Peer;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.protocol.framed.AbstractFramedChannel;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.WriteReadyHandler;

/**
 * A {@link ClientSocket} over Undertow's WebSocket channel: each method is one call to it,
 * except {@link #sendFrames}, which writes pre-built frames through a {@link SharedSinkConduit}
 * installed under the channel on the connection's sink.
 */
final class UndertowClientSocket implements ClientSocket {

    /**
     * Undertow keeps the upgraded connection to its framed channel ({@code protected}); the
     * relay's gathering writes need its sink. Looked up once.
     */
    private static final Method UNDERLYING_CONNECTION = underlyingConnectionMethod();

    private final WebSocketChannel channel;
    private final SharedSinkConduit sink;

    /** Call on the channel's I/O thread, before anything is sent (Undertow's onConnect). */
    UndertowClientSocket(WebSocketChannel channel) {
        this.channel = channel;
        this.sink = installSharedSink(channel);
    }

    private static SharedSinkConduit installSharedSink(WebSocketChannel channel) {
        StreamConnection connection;
        try {
            connection = (StreamConnection) UNDERLYING_CONNECTION.invoke(channel);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach the WebSocket's connection", e);
        }
        ConduitStreamSinkChannel sinkChannel = connection.getSinkChannel();
        SharedSinkConduit shared = new SharedSinkConduit(sinkChannel.getConduit(), channel.getIoThread());
        sinkChannel.setConduit(shared);
        shared.setWriteReadyHandler(new WriteReadyHandler.ChannelListenerHandler<>(sinkChannel));
        return shared;
    }

    private static Method underlyingConnectionMethod() {
        try {
            Method m = AbstractFramedChannel.class.getDeclaredMethod("getUnderlyingConnection");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public InetSocketAddress sourceAddress() {
        return channel.getSourceAddress();
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public boolean isCloseFrameSent() {
        return channel.isCloseFrameSent();
    }

    @Override
    public void send(ByteBuffer message) {
        WebSockets.sendBinary(message, channel, null);
    }

    @Override
    public void sendFrames(ByteBuffer[] frames, int count, Peer.SendCompletion done) {
        if (!channel.isOpen() || channel.isCloseFrameSent()) {
            done.failed(new IOException("the WebSocket is closing"));
            return;
        }
        SharedSinkConduit.Outcome outcome;
        try {
            outcome = sink.writeFrames(frames, count, done, () -> sendFrames(frames, count, done));
        } catch (IOException e) {
            IoUtils.safeClose(channel);
            done.failed(e);
            return;
        }
        if (outcome == SharedSinkConduit.Outcome.WRITTEN) {
            done.sent();
        }
    }

    @Override
    public void sendPing() {
        WebSockets.sendPing(ByteBuffer.allocate(0), channel, null);
    }

    @Override
    public void sendClose(int code, String reason) {
        WebSockets.sendClose(code, reason, channel, null);
    }

    @Override
    public Executor ioThread() {
        return channel.getIoThread();
    }

    @Override
    public void executeAfter(Runnable task, long delayMillis) {
        channel.getIoThread().executeAfter(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void closeNow() {
        IoUtils.safeClose(channel);
    }

    @Override
    public ByteBufferPool bufferPool() {
        return channel.getBufferPool();
    }

    @Override
    public void setSendBuffer(int bytes) throws IOException {
        channel.setOption(Options.SEND_BUFFER, bytes);
    }
}
