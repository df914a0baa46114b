package dev.tunnelcast.bench.impair;

/**
 * What one direction of the {@link ImpairmentProxy} does to the bytes it carries: a fixed
 * delay, jitter on top, a rate cap (0: none) and periodic stalls (no bytes for
 * {@code stallMs} at the end of every {@code stallEveryMs}; 0: none). No loss, no
 * reordering: that is TCP.
 */
public record LinkProfile(double delayMs, Jitter jitter, long capBitsPerSecond, long stallMs, long stallEveryMs) {

    public LinkProfile {
        if (!(delayMs >= 0) || capBitsPerSecond < 0 || stallMs < 0 || stallEveryMs < 0) {
            throw new IllegalArgumentException("link profile figures must be ≥ 0");
        }
        if (stallMs > 0 && stallMs >= stallEveryMs) {
            throw new IllegalArgumentException("a stall (" + stallMs + " ms) must be shorter than its period (" + stallEveryMs + " ms)");
        }
    }

    /** No impairment: the proxy only forwards. */
    public static LinkProfile clean() {
        return new LinkProfile(0, Jitter.none(), 0, 0, 0);
    }

    public LinkProfile withDelay(double ms, Jitter j) {
        return new LinkProfile(ms, j, capBitsPerSecond, stallMs, stallEveryMs);
    }

    public LinkProfile withCap(long bitsPerSecond) {
        return new LinkProfile(delayMs, jitter, bitsPerSecond, stallMs, stallEveryMs);
    }

    public LinkProfile withStalls(long ms, long everyMs) {
        return new LinkProfile(delayMs, jitter, capBitsPerSecond, ms, everyMs);
    }

    /**
     * Nanoseconds left in the stall that {@code sinceStartNanos} (time since the link
     * started) falls in, or 0 outside stalls. Stalls sit at the end of each period, so a
     * link runs clean for its first {@code stallEveryMs − stallMs}.
     */
    long stallRemainingNanos(long sinceStartNanos) {
        if (stallMs == 0) {
            return 0;
        }
        long period = stallEveryMs * 1_000_000L;
        long into = Math.floorMod(sinceStartNanos, period);
        long stallStart = period - stallMs * 1_000_000L;
        return into >= stallStart ? period - into : 0;
    }

    /** One line for reports. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        if (delayMs > 0) b.append(String.format("delay %.0f ms, ", delayMs));
        if (!(jitter instanceof Jitter.None)) b.append("jitter ").append(jitter.describe()).append(", ");
        if (capBitsPerSecond > 0) b.append(String.format("cap %.2f Mbit/s, ", capBitsPerSecond / 1e6));
        if (stallMs > 0) b.append(String.format("stall %d ms every %d s, ", stallMs, stallEveryMs / 1000));
        return b.length() == 0 ? "no impairment" : b.substring(0, b.length() - 2);
    }
}
