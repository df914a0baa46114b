package dev.tunnelcast.server.relay;

/**
 * The link rates one player's keyframe trains measured ({@link PingTimes}), and the median of
 * the last {@value #KEPT} within {@value #WINDOW_SECONDS} s (few, so that a link that changed
 * shows within two keyframes). A single train errs both ways: a shaper's burst
 * allowance or a receiver that handles the first Ping late makes it fast (behind a 1 Mbit/s
 * cap, trains of 1.7, 1.9 and once 42 Mbit/s); the sender's congestion window or a receiver
 * that handles the last Ping late makes it slow. No I/O and no clock of its own.
 */
final class TrainRates {

    static final int WINDOW_SECONDS = 10;
    private static final long WINDOW_NANOS = WINDOW_SECONDS * 1_000_000_000L;
    static final int KEPT = 3;

    private final long[] atNanos = new long[KEPT];
    private final long[] bitsPerSecond = new long[KEPT];
    private int next;
    private int count;

    void sample(long nowNanos, long rate) {
        atNanos[next] = nowNanos;
        bitsPerSecond[next] = rate;
        next = (next + 1) % KEPT;
        count = Math.min(count + 1, KEPT);
    }

    /**
     * The median of the rates kept that are within the window before {@code nowNanos} (of two, the
     * higher), or -1 with fewer than two. Read at layer decisions: no allocation.
     */
    long medianBitsPerSecond(long nowNanos) {
        int n = 0;
        long sum = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            if (nowNanos - atNanos[i] <= WINDOW_NANOS) {
                n++;
                sum += bitsPerSecond[i];
                min = Math.min(min, bitsPerSecond[i]);
                max = Math.max(max, bitsPerSecond[i]);
            }
        }
        return n < 2 ? -1 : n == 2 ? max : sum - min - max; // KEPT is 3: of three, the one neither least nor most
    }
}
