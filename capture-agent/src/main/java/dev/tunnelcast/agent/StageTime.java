package dev.tunnelcast.agent;

/**
 * How long a stage of the agent took, summed over the packets that went through it since the
 * start: two looks give the mean over the time between them ({@link #meanMillisSince}).
 */
public record StageTime(long packets, long totalMicros) {

    /** The mean per packet since {@code earlier}, ms; NaN when no packet went through meanwhile. */
    public double meanMillisSince(StageTime earlier) {
        long n = packets - earlier.packets;
        return n > 0 ? (totalMicros - earlier.totalMicros) / 1000.0 / n : Double.NaN;
    }
}
