package dev.tunnelcast.bench.fanout;

/**
 * Microseconds since the Unix epoch, anchored once and advanced by {@link System#nanoTime()},
 * so publisher and subscribers in this process stamp and read times on one monotonic clock.
 */
final class BenchClock {
    private static final long ANCHOR_EPOCH_MICROS = System.currentTimeMillis() * 1000;
    private static final long ANCHOR_NANOS = System.nanoTime();

    private BenchClock() {}

    static long nowMicros() {
        return ANCHOR_EPOCH_MICROS + (System.nanoTime() - ANCHOR_NANOS) / 1000;
    }
}
