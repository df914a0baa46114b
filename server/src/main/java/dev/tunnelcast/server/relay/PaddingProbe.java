package dev.tunnelcast.server.relay;

/**
 * One player's padding probe: the filler bytes that raise what it is sent to the rate of the
 * layer above for a while, so that the link is tested with bytes the player throws away
 * rather than with the upper layer's pictures, which a link too slow for them freezes on
 * ({@link LayerPolicy}). Owes bytes at a fixed rate from its start and hands them out in whole
 * chunks; no I/O and no clock of its own.
 */
final class PaddingProbe {

    /** What is owed never exceeds this much of the rate: after a pause in the calls, no burst. */
    private static final long MAX_OWED_MILLIS = 50;

    private long startedNanos = -1;
    private long paddingBitsPerSecond;
    private long targetBitsPerSecond;
    private long accruedAtNanos;
    private double owedBytes;

    /**
     * @param paddingBitsPerSecond the filler's rate: what the upper layer needs beyond what the player gets now
     * @param targetBitsPerSecond  what the player is sent in all while the probe runs
     */
    void start(long nowNanos, long paddingBitsPerSecond, long targetBitsPerSecond) {
        startedNanos = nowNanos;
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
        double maxOwed = paddingBitsPerSecond / 8.0 * MAX_OWED_MILLIS / 1000;
        owedBytes = Math.min(maxOwed, owedBytes + paddingBitsPerSecond / 8.0 * (nowNanos - accruedAtNanos) / 1e9);
        accruedAtNanos = nowNanos;
        int chunks = (int) (owedBytes / chunkBytes);
        owedBytes -= (double) chunks * chunkBytes;
        return chunks;
    }
}
