package dev.tunnelcast.bench.harness;

import dev.tunnelcast.agent.publish.Publisher;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Hello;
import dev.tunnelcast.proto.v1.Role;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A player as the wire sees it: a real WebSocket ({@code ws://…/ws/play/{stream}?token=…})
 * that says Hello and hands every envelope, with its arrival time (system clock, µs since
 * the epoch), to a callback on the client's thread.
 */
public final class PlayerSocket implements AutoCloseable {

    /** Called once per envelope, in order. */
    @FunctionalInterface
    public interface Receiver {
        void received(Envelope envelope, long arrivedAtMicros);
    }

    private final WebSocket ws;

    private PlayerSocket(WebSocket ws) {
        this.ws = ws;
    }

    public static PlayerSocket connect(URI playUri, String clientName, Receiver receiver) throws Exception {
        // The agent's JVM-wide HTTP client settings (proxy Basic auth, socket send buffer) are read
        // by the JDK once, at its first use: load the agent's publisher before our own client.
        Class.forName(Publisher.class.getName());
        WebSocket.Listener listener = new WebSocket.Listener() {
            final ByteArrayOutputStream partial = new ByteArrayOutputStream();

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                byte[] chunk = new byte[data.remaining()];
                data.get(chunk);
                partial.writeBytes(chunk);
                if (last) {
                    long arrived = System.currentTimeMillis() * 1000;
                    try {
                        receiver.received(Envelope.parseFrom(partial.toByteArray()), arrived);
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException("the relay sent something that is not an Envelope", e);
                    }
                    partial.reset();
                }
                webSocket.request(1);
                return null;
            }
        };
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(playUri, listener)
                .get(10, TimeUnit.SECONDS);
        ws.sendBinary(ByteBuffer.wrap(Envelope.newBuilder().setHello(Hello.newBuilder().setRole(Role.ROLE_PLAYER)
                .setProtocolVersion(1).setClientName(clientName)).build().toByteArray()), true).get(10, TimeUnit.SECONDS);
        return new PlayerSocket(ws);
    }

    @Override
    public void close() {
        ws.abort();
    }
}
