package dev.tunnelcast.server.transport;

import dev.tunnelcast.server.relay.Peer;
import io.undertow.connector.ByteBufferPool;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;
import org.xnio.Options;

/** A {@link ClientSocket} over Undertow's WebSocket channel: each method is one call to it. */
final class UndertowClientSocket implements ClientSocket {

    /** One stateless adapter for every send: the completion travels as the send's context. */
    private static final WebSocketCallback<Peer.SendCompletion> SEND_CALLBACK = new WebSocketCallback<>() {
        @Override
        public void complete(WebSocketChannel channel, Peer.SendCompletion done) {
            done.sent();
        }

        @Override
        public void onError(WebSocketChannel channel, Peer.SendCompletion done, Throwable error) {
            done.failed(error);
        }
    };

    private final WebSocketChannel channel;

    UndertowClientSocket(WebSocketChannel channel) {
        this.channel = channel;
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
    public void send(ByteBuffer message, Peer.SendCompletion done) {
        WebSockets.sendBinary(message, channel, SEND_CALLBACK, done);
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
    public void execute(Runnable task) {
        channel.getIoThread().execute(task);
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
