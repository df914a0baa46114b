package dev.tunnelcast.agent.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Hello;
import dev.tunnelcast.proto.v1.Pong;
import dev.tunnelcast.proto.v1.Status;
import dev.tunnelcast.proto.v1.StatusCode;
import dev.tunnelcast.proto.v1.Welcome;
import dev.tunnelcast.wire.CloseCodes;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.xnio.IoUtils;
import org.xnio.Pooled;

/**
 * The relay's side of a publisher's conversation, on a real WebSocket server (Undertow on
 * 127.0.0.1, port 0), for the agent's tests (capture-agent never sees the server module). It
 * records each connection's path, query and Hello; refuses a connection as the relay does
 * (Status{REFUSED}, then the close code) or welcomes it (Welcome, then the test's extra
 * messages); answers Pings and EndOfStream; and can cut a connection without a close frame.
 */
public final class FakeRelay implements AutoCloseable {

    /** One publisher connection, from its Hello on. */
    public record Connection(int index, String path, String query, Hello hello, WebSocketChannel channel,
                             AtomicInteger pings) {}

    private final IntFunction<CloseCode> refusal;
    private final List<Envelope> afterWelcome;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final Undertow server;

    /**
     * @param refusal      the close code that refuses the n-th connection (from 0), or null to welcome it
     * @param afterWelcome sent to every welcomed publisher right after its Welcome
     */
    public FakeRelay(IntFunction<CloseCode> refusal, List<Envelope> afterWelcome) {
        this.refusal = refusal;
        this.afterWelcome = List.copyOf(afterWelcome);
        this.server = Undertow.builder().setIoThreads(1).setWorkerThreads(1).addHttpListener(0, "127.0.0.1")
                .setHandler(Handlers.path().addPrefixPath("/ws/publish/", Handlers.websocket((exchange, channel) -> {
                    String uri = exchange.getRequestURI();
                    int q = uri.indexOf('?');
                    String path = q < 0 ? uri : uri.substring(0, q);
                    String query = exchange.getQueryString() == null ? "" : exchange.getQueryString();
                    channel.getReceiveSetter().set(new Listener(path, query));
                    channel.resumeReceives();
                })))
                .build();
        server.start();
    }

    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** The connections that sent a Hello, in order. */
    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** Closes the connection's socket without a close frame, as a dead network would end it. */
    public void cut(int index) {
        IoUtils.safeClose(connections.get(index).channel());
    }

    @Override
    public void close() {
        server.stop();
    }

    private static long nowMicros() {
        return System.currentTimeMillis() * 1000;
    }

    private static void send(WebSocketChannel channel, Envelope envelope) {
        WebSockets.sendBinary(ByteBuffer.wrap(envelope.toByteArray()), channel, null);
    }

    private final class Listener extends AbstractReceiveListener {
        private final String path;
        private final String query;
        private Connection connection;

        Listener(String path, String query) {
            this.path = path;
            this.query = query;
        }

        @Override
        protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
            Envelope envelope;
            try (Pooled<ByteBuffer[]> data = message.getData()) {
                envelope = Envelope.parseFrom(WebSockets.mergeBuffers(data.getResource()));
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("the publisher sent an invalid envelope", e);
            }
            switch (envelope.getKindCase()) {
                case HELLO -> onHello(channel, envelope.getHello());
                case PING -> {
                    connection.pings().incrementAndGet();
                    long now = nowMicros();
                    send(channel, Envelope.newBuilder().setPong(Pong.newBuilder().setId(envelope.getPing().getId())
                            .setPingSendTimeMicros(envelope.getPing().getSendTimeMicros()).setReceiveTimeMicros(now)
                            .setSendTimeMicros(now)).build());
                }
                case END_OF_STREAM -> WebSockets.sendClose(1000, "end of stream", channel, null);
                default -> { } // configs, media, pongs: not what these tests look at
            }
        }

        private void onHello(WebSocketChannel channel, Hello hello) {
            synchronized (connections) {
                connection = new Connection(connections.size(), path, query, hello, channel, new AtomicInteger());
                connections.add(connection);
            }
            CloseCode refused = refusal.apply(connection.index());
            if (refused != null) {
                send(channel, Envelope.newBuilder().setStatus(Status.newBuilder().setCode(StatusCode.STATUS_CODE_REFUSED)
                        .setMessage("refused by the fake relay").setCloseCode(refused.getNumber())).build());
                WebSockets.sendClose(refused.getNumber(), CloseCodes.reason(refused), channel, null);
                return;
            }
            send(channel, Envelope.newBuilder().setWelcome(Welcome.newBuilder().setSessionId("s" + connection.index())
                    .setRelayTimeMicros(nowMicros()).setProtocolVersion(1).setStream(path.substring("/ws/publish/".length())))
                    .build());
            afterWelcome.forEach(e -> send(channel, e));
        }
    }
}
