package dev.tunnelcast.server.relay;

/**
 * How fast one player's link carries bytes, measured the only way the relay can without help
 * from the player: the pace its backlog drains at. While the oldest unsent message is older
 * than a short bound, the socket (its kernel buffer full) takes bytes no faster than the link
 * delivers them; while the backlog is short the link may carry more than it is given and
 * nothing is learnt. Bytes are seen to leave in steps (a write batch completes, and the next is
 * taken), so the rate is measured from one step to the next within one unbroken backlog: the
 * bytes of the later step over the time between them. A decaying average over about
 * {@value #TIME_CONSTANT_MILLIS} ms of such time; no clock of its own.
 */
final class DrainRate {

    static final long TIME_CONSTANT_MILLIS = 2_000;
    private static final double TIME_CONSTANT_NANOS = TIME_CONSTANT_MILLIS * 1e6;
    /** Measured time (decayed) below which the rate is not known. */
    private static final double MIN_MEASURED_NANOS = 300e6;

    /** The last step seen in the current backlog (-1: none yet, or no backlog). */
    private long stepNanos = -1;
    private long stepTakenBytes;
    private long lastTakenBytes;
    private double measuredNanos;
    private double measuredBytes;
    private long measuredAtNanos = -1;

    /**
     * @param takenBytes the bytes that left the player's backlog for the kernel so far (not those dropped)
     * @param backlogged whether the player's backlog is old enough that the link, not the relay, sets its pace
     */
    void observe(long nowNanos, long takenBytes, boolean backlogged) {
        boolean stepped = takenBytes > lastTakenBytes;
        lastTakenBytes = takenBytes;
        if (!backlogged) {
            stepNanos = -1;
            return;
        }
        if (!stepped) {
            return;
        }
        if (stepNanos >= 0 && nowNanos > stepNanos) {
            long elapsed = nowNanos - stepNanos;
            double keep = Math.exp(-elapsed / TIME_CONSTANT_NANOS);
            measuredNanos = measuredNanos * keep + elapsed;
            measuredBytes = measuredBytes * keep + (takenBytes - stepTakenBytes);
            measuredAtNanos = nowNanos;
        }
        stepNanos = nowNanos;
        stepTakenBytes = takenBytes;
    }

    /**
     * The next step starts a new measure: the socket's buffer was resized, and the bytes it held
     * beyond the new size drain before the socket takes more, a wait that is not the link's pace.
     */
    void restart() {
        stepNanos = -1;
    }

    /** The link's rate in bits per second, or -1 when not known, or last measured more than {@code freshNanos} ago. */
    long bitsPerSecond(long nowNanos, long freshNanos) {
        if (measuredNanos < MIN_MEASURED_NANOS || nowNanos - measuredAtNanos > freshNanos) {
            return -1;
        }
        return Math.round(measuredBytes * 8e9 / measuredNanos);
    }
}
