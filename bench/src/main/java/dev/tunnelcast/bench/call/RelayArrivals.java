package dev.tunnelcast.bench.call;

import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.server.relay.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Capture → relay of every packet the relay accepts (its receive time minus the packet's
 * capture time, both on the relay clock): capture, encoding and the uplink, the part of a
 * call's latency before the relay. Kept per stream and track; returns at once, as an
 * observer must.
 */
public final class RelayArrivals implements StreamObserver {

    /** One packet: when the relay got it (relay clock ms) and how long after its capture. */
    private record Arrival(double receivedAtMs, double sinceCaptureMs) {}

    private final Map<String, List<Arrival>> byStreamAndTrack = new ConcurrentHashMap<>();

    @Override
    public void mediaPacket(String stream, MediaPacket packet, long receivedAtMicros) {
        if (packet.getCaptureTimeMicros() <= 0) {
            return;
        }
        List<Arrival> arrivals = byStreamAndTrack.computeIfAbsent(stream + "#" + packet.getTrackId(), k -> new ArrayList<>());
        synchronized (arrivals) {
            arrivals.add(new Arrival(receivedAtMicros / 1000.0, (receivedAtMicros - packet.getCaptureTimeMicros()) / 1000.0));
        }
    }

    /** Capture → relay of the packets of {@code stream}'s {@code track} received in [{@code fromMs}, {@code toMs}). */
    public double[] sinceCaptureMs(String stream, int track, double fromMs, double toMs) {
        List<Arrival> arrivals = byStreamAndTrack.getOrDefault(stream + "#" + track, List.of());
        synchronized (arrivals) {
            return arrivals.stream().filter(a -> a.receivedAtMs() >= fromMs && a.receivedAtMs() < toMs)
                    .mapToDouble(Arrival::sinceCaptureMs).toArray();
        }
    }
}
