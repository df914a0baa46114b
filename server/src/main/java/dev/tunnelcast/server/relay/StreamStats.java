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
    private long lastBytesIn;
    private long lastBytesOut;
    private long lastSampleNanos = -1;
    private volatile long bitrateInBitsPerSecond;
    private volatile long bitrateOutBitsPerSecond;

    StreamStats(Counter drops) {
        this.drops = drops;
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

    /** Called by one housekeeping thread only. */
    void sample(long nowNanos) {
        long in = bytesIn.sum();
        long out = bytesOut.sum();
        if (lastSampleNanos >= 0 && nowNanos > lastSampleNanos) {
            double seconds = (nowNanos - lastSampleNanos) / 1e9;
            bitrateInBitsPerSecond = Math.round((in - lastBytesIn) * 8 / seconds);
            bitrateOutBitsPerSecond = Math.round((out - lastBytesOut) * 8 / seconds);
        }
        lastBytesIn = in;
        lastBytesOut = out;
        lastSampleNanos = nowNanos;
    }
}
