package dev.tunnelcast.server.relay;

import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.server.clock.RelayClock;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream's calls to the relay's {@link StreamObserver}s, each guarded: an observer that
 * throws is logged and affects neither the stream nor the other observers.
 */
final class StreamObservers {

    private static final Logger log = LoggerFactory.getLogger(StreamObservers.class);

    private final String stream;
    private final List<StreamObserver> observers;
    private final RelayClock clock;

    StreamObservers(String stream, List<StreamObserver> observers, RelayClock clock) {
        this.stream = stream;
        this.observers = observers;
        this.clock = clock;
    }

    void publisherStarted(String sessionId) {
        each(o -> o.publisherStarted(stream, sessionId));
    }

    void trackConfig(TrackConfig config, ByteBuffer bytes) {
        each(o -> o.trackConfig(stream, config));
        each(o -> o.envelope(stream, bytes));
    }

    /** @param receivedAtNanos when the relay received it (monotonic); observers get it on the relay clock */
    void mediaPacket(MediaPacket packet, ByteBuffer bytes, long receivedAtNanos) {
        if (observers.isEmpty()) {
            return;
        }
        long receivedAtMicros = clock.nowMicros() - (clock.monotonicNanos() - receivedAtNanos) / 1000;
        each(o -> {
            o.mediaPacket(stream, packet, receivedAtMicros);
            o.envelope(stream, bytes);
        });
    }

    void publisherStopped(String sessionId) {
        each(o -> o.publisherStopped(stream, sessionId));
    }

    void firstPlayerJoined() {
        each(o -> o.firstPlayerJoined(stream));
    }

    void lastPlayerLeft() {
        each(o -> o.lastPlayerLeft(stream));
    }

    private void each(Consumer<StreamObserver> call) {
        for (StreamObserver observer : observers) {
            try {
                call.accept(observer);
            } catch (RuntimeException e) {
                log.warn("stream observer failed on stream {}", stream, e);
            }
        }
    }
}
