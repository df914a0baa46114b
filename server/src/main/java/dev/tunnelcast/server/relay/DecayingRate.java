package dev.tunnelcast.server.relay;

/**
 * A byte rate as an exponentially decaying sum: each byte counts {@code e^(-age / timeConstant)},
 * and the sum is divided by the weight the time since the first byte can hold, so the rate is
 * right from the first second instead of rising towards it. No clock of its own; not thread-safe.
 */
final class DecayingRate {

    private final double timeConstantNanos;
    private double sum;
    private long firstNanos = -1;
    private long lastNanos;

    DecayingRate(long timeConstantNanos) {
        this.timeConstantNanos = timeConstantNanos;
    }

    void add(long bytes, long nowNanos) {
        if (firstNanos < 0) {
            firstNanos = nowNanos;
            lastNanos = nowNanos;
        }
        decayTo(nowNanos);
        sum += bytes;
    }

    /** 0 until two moments apart have been seen. */
    long bitsPerSecond(long nowNanos) {
        if (firstNanos < 0 || nowNanos <= firstNanos) {
            return 0;
        }
        decayTo(nowNanos);
        double span = timeConstantNanos * -Math.expm1(-(nowNanos - firstNanos) / timeConstantNanos);
        return Math.round(sum * 8e9 / span);
    }

    private void decayTo(long nowNanos) {
        if (nowNanos > lastNanos) {
            sum *= Math.exp(-(nowNanos - lastNanos) / timeConstantNanos);
            lastNanos = nowNanos;
        }
    }
}
