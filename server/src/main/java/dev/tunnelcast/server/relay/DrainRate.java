package dev.tunnelcast.server.relay;

/**
 * How fast one player's link carries bytes, measured the only way the relay can without help
 * from the player: the pace its queue drains at while it is backlogged. While the oldest queued
 * message is older than a short bound, the socket (its kernel buffer full) takes bytes no faster
 * than the link delivers them, so the bytes taken over that time are the link's rate; while the
 * queue is short the link may carry more than it is given and nothing is learnt. A decaying
 * average over about {@value #TIME_CONSTANT_MILLIS} ms of backlogged time; no clock of its own.
 */
final class DrainRate {

    static final long TIME_CONSTANT_MILLIS = 2_000;
    private static final double TIME_CONSTANT_NANOS = TIME_CONSTANT_MILLIS * 1e6;
    /** Backlogged time (decayed) below which the rate is not known. */
    private static final double MIN_BACKLOGGED_NANOS = 300e6;

    private long lastNanos = -1;
    private long lastTakenBytes;
    private boolean lastBacklogged;
    private double backloggedNanos;
    private double takenBytes;
    private long measuredAtNanos = -1;

    /**
     * @param takenBytes  the bytes taken from the player's queue for its socket so far (not those dropped)
     * @param backlogged  whether the player's queue is backlogged now
     */
    void observe(long nowNanos, long takenBytes, boolean backlogged) {
        if (lastNanos >= 0 && lastBacklogged && backlogged && nowNanos > lastNanos) {
            long elapsed = nowNanos - lastNanos;
            double keep = Math.exp(-elapsed / TIME_CONSTANT_NANOS);
            backloggedNanos = backloggedNanos * keep + elapsed;
            this.takenBytes = this.takenBytes * keep + (takenBytes - lastTakenBytes);
            measuredAtNanos = nowNanos;
        }
        lastNanos = nowNanos;
        lastTakenBytes = takenBytes;
        lastBacklogged = backlogged;
    }

    /** The link's rate in bits per second, or -1 when not known, or last measured more than {@code freshNanos} ago. */
    long bitsPerSecond(long nowNanos, long freshNanos) {
        if (backloggedNanos < MIN_BACKLOGGED_NANOS || nowNanos - measuredAtNanos > freshNanos) {
            return -1;
        }
        return Math.round(takenBytes * 8e9 / backloggedNanos);
    }
}
