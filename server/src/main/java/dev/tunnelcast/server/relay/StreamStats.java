package dev.tunnelcast.server.relay;

import io.micrometer.core.instrument.Counter;
import java.util.concurrent.atomic.LongAdder;

/**
 * Byte counters of one stream and the bitrates derived from them once per second by the
 * relay's housekeeping. Counters are adders: the publisher's and players' threads add
 * without contention.
 */
final class StreamStats {

    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final Counter drops;
    /** Cumulative counts at the last {@link #WINDOW} samples (a ring), for rates over a few seconds. */
    private static final int WINDOW = 5;
    private final long[] sampleNanos = new long[WINDOW + 1];
    private final long[] sampleIn = new long[WINDOW + 1];
    private final long[] sampleOut = new long[WINDOW + 1];
    private int samples;
    private volatile long bitrateInBitsPerSecond;
    private volatile long bitrateOutBitsPerSecond;

    /** @param createdAtNanos the stream's creation: the first rate is measured from it */
    StreamStats(Counter drops, long createdAtNanos) {
        this.drops = drops;
        sampleNanos[0] = createdAtNanos;
        samples = 1;
    }

    LongAdder bytesIn() {
        return bytesIn;
    }

    LongAdder bytesOut() {
        return bytesOut;
    }

    Counter dropsCounter() {
        return drops;
    }

    long drops() {
        return (long) drops.count();
    }

    long bitrateInBitsPerSecond() {
        return bitrateInBitsPerSecond;
    }

    long bitrateOutBitsPerSecond() {
        return bitrateOutBitsPerSecond;
    }

    /** Called about once a second by the one housekeeping thread: rates over the last {@value #WINDOW} samples. */
    void sample(long nowNanos) {
        int slot = samples % sampleNanos.length;
        sampleNanos[slot] = nowNanos;
        sampleIn[slot] = bytesIn.sum();
        sampleOut[slot] = bytesOut.sum();
        samples++;
        if (samples < 2) {
            return;
        }
        int oldest = samples <= sampleNanos.length ? 0 : samples % sampleNanos.length;
        double seconds = (nowNanos - sampleNanos[oldest]) / 1e9;
        if (seconds > 0) {
            bitrateInBitsPerSecond = Math.round((sampleIn[slot] - sampleIn[oldest]) * 8 / seconds);
            bitrateOutBitsPerSecond = Math.round((sampleOut[slot] - sampleOut[oldest]) * 8 / seconds);
        }
    }
}
