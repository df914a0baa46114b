package dev.tunnelcast.agent.capture;

/**
 * Maps a source's own frame timestamps onto the local clock. Arrival times jitter with
 * scheduling and bursts (a frame delayed by a slow encode, frames buffered while probing),
 * the source's timestamps do not; so the capture time of a frame is {@code anchor + ts},
 * with {@code anchor} the smallest {@code arrival − ts} seen (the least-delayed frame
 * defines the mapping). The anchor creeps up by at most 100 µs per frame to follow a
 * source clock slower than ours, and is reset when the source jumps (a loop, a reconnect,
 * a stall of more than 500 ms). Capture times never exceed arrival and never go backwards.
 */
public final class CaptureTimeline {

    private static final long RESYNC_MICROS = 500_000;
    private static final long CREEP_MICROS = 100;

    private long anchor = Long.MIN_VALUE;
    private long last = Long.MIN_VALUE;

    public long captureLocalMicros(long sourceTimestampMicros, long arrivalLocalMicros) {
        long candidate = arrivalLocalMicros - sourceTimestampMicros;
        if (anchor == Long.MIN_VALUE || candidate < anchor || candidate - anchor > RESYNC_MICROS) {
            anchor = candidate;
        } else {
            anchor += Math.min(candidate - anchor, CREEP_MICROS);
        }
        long t = Math.min(arrivalLocalMicros, anchor + sourceTimestampMicros);
        if (last != Long.MIN_VALUE && t <= last) {
            t = Math.min(arrivalLocalMicros, last + 1);
        }
        last = t;
        return t;
    }
}
