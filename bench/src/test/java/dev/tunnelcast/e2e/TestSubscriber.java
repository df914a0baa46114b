package dev.tunnelcast.e2e;

import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Hello;
import dev.tunnelcast.proto.v1.Role;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A player as the wire sees it: a real WebSocket client that says Hello and records every envelope. */
final class TestSubscriber implements AutoCloseable {

    /** One received envelope and when it arrived (system clock, µs since the epoch). */
    record Received(Envelope envelope, long arrivedAtMicros) {}

    private final WebSocket ws;
    final BlockingQueue<Received> received;

    private TestSubscriber(WebSocket ws, BlockingQueue<Received> received) {
        this.ws = ws;
        this.received = received;
    }

    static TestSubscriber connect(URI playUri) throws Exception {
        BlockingQueue<Received> sink = new LinkedBlockingQueue<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            final ByteArrayOutputStream partial = new ByteArrayOutputStream();

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                byte[] chunk = new byte[data.remaining()];
                data.get(chunk);
                partial.writeBytes(chunk);
                if (last) {
                    try {
                        sink.add(new Received(Envelope.parseFrom(partial.toByteArray()),
                                System.currentTimeMillis() * 1000));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    partial.reset();
                }
                webSocket.request(1);
                return null;
            }
        };
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(playUri, listener)
                .get(5, TimeUnit.SECONDS);
        TestSubscriber s = new TestSubscriber(ws, sink);
        ws.sendBinary(ByteBuffer.wrap(Envelope.newBuilder().setHello(Hello.newBuilder().setRole(Role.ROLE_PLAYER)
                .setProtocolVersion(1).setClientName("e2e-subscriber")).build().toByteArray()), true).get(5, TimeUnit.SECONDS);
        return s;
    }

    @Override
    public void close() {
        ws.abort();
    }
}
