package dev.tunnelcast.server.relay;

import io.micrometer.core.instrument.Counter;
import java.util.concurrent.atomic.LongAdder;

/**
 * Byte counters of one stream and the bitrates derived from them. The relay's housekeeping
 * samples the counters about once a second; a rate is read over the span from the oldest
 * kept sample to now (at most {@value #WINDOW} samples back), so it does not depend on when
 * the last sample happened to run. Counters are adders: the publisher's and players'
 * threads add without contention.
 */
final class StreamStats {

    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final Counter drops;
    private final LayerSwitches layerSwitches;
    /** Cumulative counts at the last {@link #WINDOW} samples (a ring), for rates over a few seconds. */
    private static final int WINDOW = 5;
    private final long[] sampleNanos = new long[WINDOW];
    private final long[] sampleIn = new long[WINDOW];
    private final long[] sampleOut = new long[WINDOW];
    private int samples;

    /** @param createdAtNanos the stream's creation: the first rate is measured from it */
    StreamStats(Counter drops, LayerSwitches layerSwitches, long createdAtNanos) {
        this.drops = drops;
        this.layerSwitches = layerSwitches;
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

    LayerSwitches layerSwitches() {
        return layerSwitches;
    }

    long drops() {
        return (long) drops.count();
    }

    synchronized long bitrateInBitsPerSecond(long nowNanos) {
        return rate(sampleIn, bytesIn.sum(), nowNanos);
    }

    synchronized long bitrateOutBitsPerSecond(long nowNanos) {
        return rate(sampleOut, bytesOut.sum(), nowNanos);
    }

    /** Called about once a second by the one housekeeping thread. */
    synchronized void sample(long nowNanos) {
        int slot = samples % WINDOW;
        sampleNanos[slot] = nowNanos;
        sampleIn[slot] = bytesIn.sum();
        sampleOut[slot] = bytesOut.sum();
        samples++;
    }

    private long rate(long[] sampled, long current, long nowNanos) {
        int oldest = samples <= WINDOW ? 0 : samples % WINDOW;
        double seconds = (nowNanos - sampleNanos[oldest]) / 1e9;
        return seconds <= 0 ? 0 : Math.round((current - sampled[oldest]) * 8 / seconds);
    }
}
