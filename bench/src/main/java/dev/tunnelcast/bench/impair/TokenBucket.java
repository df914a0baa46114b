package dev.tunnelcast.bench.impair;

/**
 * A rate cap: {@link #acquire} blocks until {@code bytes} may pass at the current rate.
 * The bucket holds 20 ms of the rate (at least four 1500-byte packets) and callers take at
 * most a quarter of it at a time ({@link #sliceBytes}), so a sleep that overshoots (a loaded
 * machine wakes late) is made up from the bucket instead of lowering the rate, while
 * short-term throughput still cannot exceed the cap by more than 20 ms of it. Shared by every connection in one direction
 * of a link (callers queue on it, as packets queue at a bottleneck).
 */
final class TokenBucket {

    private double tokens;
    private long lastNanos = System.nanoTime();

    /** Waits until {@code bytes} (≤ {@link #sliceBytes}) fit under {@code bitsPerSecond} (0: no cap). */
    synchronized void acquire(int bytes, long bitsPerSecond) throws InterruptedException {
        if (bitsPerSecond <= 0) {
            return;
        }
        double bytesPerNano = bitsPerSecond / 8e9;
        double burst = 4.0 * sliceBytes(bitsPerSecond);
        while (true) {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - lastNanos) * bytesPerNano);
            lastNanos = now;
            if (tokens >= bytes) {
                tokens -= bytes;
                return;
            }
            long waitNanos = (long) Math.ceil((bytes - tokens) / bytesPerNano);
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        }
    }

    /** The most bytes to take at once under this rate: 5 ms of it, at least one 1500-byte packet. */
    static int sliceBytes(long bitsPerSecond) {
        return (int) Math.max(1500, bitsPerSecond / 8 / 200);
    }
}
