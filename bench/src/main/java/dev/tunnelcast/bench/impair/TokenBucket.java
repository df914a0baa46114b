package dev.tunnelcast.bench.impair;

/**
 * A rate cap: {@link #acquire} blocks until {@code bytes} may pass at the current rate.
 * The burst allowance is 10 ms of the rate (at least one 1500-byte packet), so short-term
 * throughput cannot exceed the cap by much. Shared by every connection in one direction
 * of a link (callers queue on it, as packets queue at a bottleneck).
 */
final class TokenBucket {

    private double tokens;
    private long lastNanos = System.nanoTime();

    /** Waits until {@code bytes} (≤ the burst) fit under {@code bitsPerSecond} (0: no cap). */
    synchronized void acquire(int bytes, long bitsPerSecond) throws InterruptedException {
        if (bitsPerSecond <= 0) {
            return;
        }
        double bytesPerNano = bitsPerSecond / 8e9;
        double burst = burstBytes(bitsPerSecond);
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

    /** The most bytes that may pass at once under this rate. */
    static int burstBytes(long bitsPerSecond) {
        return (int) Math.max(1500, bitsPerSecond / 8 / 100);
    }
}
