package dev.tunnelcast.bench.uplink;

import dev.tunnelcast.bench.harness.PlayerSocket;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.TrackKind;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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

    private final PlayerSocket socket;
    private final Set<Integer> videoTracks = new HashSet<>();
    private long videoBytes;
    private List<Double> latencies = new ArrayList<>();

    private LatencySubscriber(URI playUri) throws Exception {
        socket = PlayerSocket.connect(playUri, "uplink-bench", this::received);
    }

    /** Connects to {@code ws://…/ws/play/{stream}?token=…}. */
    static LatencySubscriber connect(URI playUri) throws Exception {
        return new LatencySubscriber(playUri);
    }

    private synchronized void received(Envelope e, long arrivedMicros) {
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
        socket.close();
    }
}
