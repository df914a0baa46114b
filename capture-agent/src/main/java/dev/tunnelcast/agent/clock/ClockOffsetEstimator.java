package dev.tunnelcast.agent.clock;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Estimates the offset from the local clock to the relay clock from ping/pong exchanges
 * (NTP-style, see docs/protocol.md): of the samples taken within the window, the one with
 * the smallest round-trip time wins, because queueing delay only ever adds to the RTT and
 * skews the offset of that sample. Thread-safe.
 */
public final class ClockOffsetEstimator {

    /** One ping/pong exchange: its round trip and the offset it implies (relay − local). */
    public record Sample(long rttMicros, long offsetMicros, long receivedAtLocalMicros) {}

    private final long windowMicros;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private Sample latest;

    public ClockOffsetEstimator(long windowMicros) {
        if (windowMicros <= 0) {
            throw new IllegalArgumentException("windowMicros must be > 0");
        }
        this.windowMicros = windowMicros;
    }

    /**
     * Adds one exchange: {@code t0} ping sent (local), {@code t1} ping received (relay),
     * {@code t2} pong sent (relay), {@code t3} pong received (local). Returns the sample.
     */
    public synchronized Sample onPong(long t0, long t1, long t2, long t3) {
        long rtt = Math.max(0, (t3 - t0) - (t2 - t1));
        long offset = Math.floorDiv((t1 - t0) + (t2 - t3), 2);
        Sample sample = new Sample(rtt, offset, t3);
        samples.addLast(sample);
        latest = sample;
        while (!samples.isEmpty() && t3 - samples.peekFirst().receivedAtLocalMicros() > windowMicros) {
            samples.removeFirst();
        }
        return sample;
    }

    /** The min-RTT sample of the window, or null before the first pong. */
    public synchronized Sample best() {
        Sample best = null;
        for (Sample s : samples) {
            if (best == null || s.rttMicros() < best.rttMicros()) {
                best = s;
            }
        }
        return best;
    }

    /**
     * Whether a pong has been received. Until then no local time can be put on the relay clock;
     * once it is true it stays true (the newest sample is always kept), across reconnects too.
     */
    public synchronized boolean hasEstimate() {
        return latest != null;
    }

    /** relay − local in microseconds; 0 before the first pong (for display only: see {@link #hasEstimate()}). */
    public long offsetMicros() {
        Sample best = best();
        return best == null ? 0 : best.offsetMicros();
    }

    /** The most recent round-trip time, or -1 before the first pong. */
    public synchronized long lastRttMicros() {
        return latest == null ? -1 : latest.rttMicros();
    }

    /** A local time on the relay clock; only once {@link #hasEstimate()} (a guess of 0 would be off by the whole skew). */
    public long toRelayMicros(long localMicros) {
        Sample best = best();
        if (best == null) {
            throw new IllegalStateException("no clock offset estimate yet: wait for the first pong");
        }
        return localMicros + best.offsetMicros();
    }
}
