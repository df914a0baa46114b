package dev.tunnelcast.server.relay;

/**
 * One player's padding probe: the filler bytes that raise what it is sent to the rate of the
 * layer above for a while, so that the link is tested with bytes the player throws away
 * rather than with the upper layer's pictures, which a link too slow for them freezes on
 * ({@link LayerPolicy}). Owes bytes at a rate that ramps up from nothing to the full padding
 * over its first part and then holds, and hands them out in whole chunks; no I/O and no clock of
 * its own. The ramp is what keeps a failed probe cheap: the link's limit is crossed gently, so
 * the path's queue grows slowly past it and the delay that ends the probe is reached with
 * little filler in the path. (At full rate from the start, 2.1 Mbit/s of padding on a 1 Mbit/s
 * link with 0.8 of media queued 1.9 ms more per ms: the probe failed with 90-170 ms of queue.)
 */
final class PaddingProbe {

    /** What is owed never exceeds this much of the rate: after a pause in the calls, no burst. */
    private static final long MAX_OWED_MILLIS = 50;

    private long startedNanos = -1;
    private long rampNanos;
    private long paddingBitsPerSecond;
    private long targetBitsPerSecond;
    private long accruedAtNanos;
    private double owedBytes;

    /**
     * @param paddingBitsPerSecond the filler's rate: what the upper layer needs beyond what the player gets now
     * @param targetBitsPerSecond  what the player is sent in all once the ramp is over
     * @param rampNanos            how long the padding takes to reach its full rate
     */
    void start(long nowNanos, long paddingBitsPerSecond, long targetBitsPerSecond, long rampNanos) {
        startedNanos = nowNanos;
        this.rampNanos = rampNanos;
        accruedAtNanos = nowNanos;
        owedBytes = 0;
        this.paddingBitsPerSecond = paddingBitsPerSecond;
        this.targetBitsPerSecond = targetBitsPerSecond;
    }

    void stop() {
        startedNanos = -1;
        owedBytes = 0;
    }

    boolean running() {
        return startedNanos >= 0;
    }

    /** How long it has run, or -1 when it does not run. */
    long runningNanos(long nowNanos) {
        return running() ? nowNanos - startedNanos : -1;
    }

    long targetBitsPerSecond() {
        return targetBitsPerSecond;
    }

    /** How many chunks of {@code chunkBytes} are owed now; they count as sent. 0 when the probe does not run. */
    int takeChunks(long nowNanos, int chunkBytes) {
        if (!running() || nowNanos <= accruedAtNanos) {
            return 0;
        }
        double rate = paddingBitsPerSecond * Math.min(1.0, (double) (nowNanos - startedNanos) / Math.max(1, rampNanos));
        double maxOwed = rate / 8 * MAX_OWED_MILLIS / 1000;
        owedBytes = Math.min(maxOwed, owedBytes + rate / 8 * (nowNanos - accruedAtNanos) / 1e9);
        accruedAtNanos = nowNanos;
        int chunks = (int) (owedBytes / chunkBytes);
        owedBytes -= (double) chunks * chunkBytes;
        return chunks;
    }
}
