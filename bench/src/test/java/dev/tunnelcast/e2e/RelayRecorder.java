package dev.tunnelcast.e2e;

import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.server.relay.StreamObserver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What the relay accepted from the publisher, in arrival order, with the relay's receive time. */
final class RelayRecorder implements StreamObserver {

    /** A track config (packet == null) or a packet, and when the relay got it (relay clock, µs). */
    record Event(TrackConfig config, MediaPacket packet, long receivedAtMicros) {}

    final List<Event> events = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void trackConfig(String stream, TrackConfig config) {
        events.add(new Event(config, null, System.currentTimeMillis() * 1000));
    }

    @Override
    public void mediaPacket(String stream, MediaPacket packet, long receivedAtMicros) {
        events.add(new Event(null, packet, receivedAtMicros));
    }

    List<Event> snapshot() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    List<MediaPacket> packets(int track) {
        return snapshot().stream().filter(e -> e.packet() != null && e.packet().getTrackId() == track)
                .map(Event::packet).toList();
    }
}
