package dev.tunnelcast.bench.cluster;

import dev.tunnelcast.bench.fanout.BenchClock;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Hello;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A player of one relay node that notes, while {@link #measuring}, every media packet it gets:
 * its track, sequence number, the publisher's stamp and its arrival, both on {@link BenchClock}
 * (the publisher and every player live in the benchmark's JVM: one clock, microseconds).
 */
final class HopPlayer implements AutoCloseable {

    /** One packet as this player got it; times in µs on {@link BenchClock}. */
    record Arrival(int track, long sequence, long sentMicros, long arrivedMicros) {
    }

    private final String node;
    private final WebSocket socket;
    private final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
    private volatile boolean measuring;
    private volatile Throwable failure;

    private HopPlayer(String node, URI playUri) throws Exception {
        this.node = node;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(playUri, new Listener())
                .get(10, TimeUnit.SECONDS);
        socket.sendBinary(ByteBuffer.wrap(Envelope.newBuilder().setHello(Hello.newBuilder().setRole(Role.ROLE_PLAYER)
                .setProtocolVersion(1).setClientName("tunnelcast-bench-cluster")).build().toByteArray()), true)
                .get(10, TimeUnit.SECONDS);
    }

    static HopPlayer connect(String node, URI playUri) throws Exception {
        return new HopPlayer(node, playUri);
    }

    String node() {
        return node;
    }

    void measuring(boolean on) {
        measuring = on;
    }

    /** What arrived while measuring; throws if the connection failed or the relay sent garbage. */
    List<Arrival> arrivals() {
        if (failure != null) {
            throw new IllegalStateException("player on " + node + " failed", failure);
        }
        return List.copyOf(arrivals);
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            partial.writeBytes(chunk);
            if (last) {
                long arrived = BenchClock.nowMicros();
                try {
                    Envelope envelope = Envelope.parseFrom(partial.toByteArray());
                    if (measuring && envelope.hasMediaPacket()) {
                        MediaPacket p = envelope.getMediaPacket();
                        arrivals.add(new Arrival(p.getTrackId(), p.getSequence(), p.getCaptureTimeMicros(), arrived));
                    }
                } catch (IOException e) {
                    failure = e;
                }
                partial.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            failure = error;
        }
    }
}
