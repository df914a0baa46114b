package dev.tunnelcast.bench.uplink;

import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Hello;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.proto.v1.TrackKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A player as the wire sees it (a real WebSocket to the relay, straight, not through the
 * impaired uplink) that measures each video packet's capture → arrival latency. The relay,
 * the agent and this client share the machine's clock, so no offset estimate is involved.
 */
final class LatencySubscriber implements AutoCloseable {

    /** What arrived since the previous {@link #drain}: video bytes and each video packet's latency, ms. */
    record Window(long videoBytes, List<Double> latenciesMs) {
        double percentile(double p) {
            if (latenciesMs.isEmpty()) {
                return Double.NaN;
            }
            List<Double> sorted = new ArrayList<>(latenciesMs);
            Collections.sort(sorted);
            return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
        }
    }

    private final WebSocket ws;
    private final Set<Integer> videoTracks = new HashSet<>();
    private long videoBytes;
    private List<Double> latencies = new ArrayList<>();

    private LatencySubscriber(URI playUri) throws Exception {
        WebSocket.Listener listener = new WebSocket.Listener() {
            final ByteArrayOutputStream partial = new ByteArrayOutputStream();

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                byte[] chunk = new byte[data.remaining()];
                data.get(chunk);
                partial.writeBytes(chunk);
                if (last) {
                    received(partial.toByteArray(), System.currentTimeMillis() * 1000);
                    partial.reset();
                }
                webSocket.request(1);
                return null;
            }
        };
        ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(playUri, listener).get(10, TimeUnit.SECONDS);
        ws.sendBinary(ByteBuffer.wrap(Envelope.newBuilder().setHello(Hello.newBuilder().setRole(Role.ROLE_PLAYER)
                .setProtocolVersion(1).setClientName("uplink-bench")).build().toByteArray()), true).get(10, TimeUnit.SECONDS);
    }

    /** Connects to {@code ws://…/ws/play/{stream}?token=…}. */
    static LatencySubscriber connect(URI playUri) throws Exception {
        return new LatencySubscriber(playUri);
    }

    private synchronized void received(byte[] bytes, long arrivedMicros) {
        Envelope e;
        try {
            e = Envelope.parseFrom(bytes);
        } catch (IOException bad) {
            throw new IllegalStateException("the relay sent something that is not an Envelope", bad);
        }
        if (e.hasTrackConfig() && e.getTrackConfig().getKind() == TrackKind.TRACK_KIND_VIDEO) {
            videoTracks.add(e.getTrackConfig().getTrackId());
        } else if (e.hasMediaPacket() && videoTracks.contains(e.getMediaPacket().getTrackId())) {
            MediaPacket p = e.getMediaPacket();
            videoBytes += p.getPayload().size();
            latencies.add((arrivedMicros - p.getCaptureTimeMicros()) / 1000.0);
        }
    }

    /** What arrived since the last call. */
    synchronized Window drain() {
        Window w = new Window(videoBytes, latencies);
        videoBytes = 0;
        latencies = new ArrayList<>();
        return w;
    }

    @Override
    public void close() {
        ws.abort();
    }
}
