package dev.tunnelcast.server.relay;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * When a stream asks its publisher for a keyframe: at most once per interval, and a request made
 * within the interval is not lost but sent when the interval ends (once, however many came).
 * Without that, a player that joins, or moves down to a lower simulcast layer, just after a
 * requested keyframe went by would wait for the publisher's next GOP. No I/O of its own:
 * {@code send} sends, {@code later} runs the deferred one; calls come under the stream's
 * {@code lock}, and so does the deferred send.
 */
final class KeyframeRequests {

    /** Runs a task after a delay (the relay's housekeeping scheduler). */
    interface Later {
        void run(Runnable task, long delayNanos);
    }

    private final long intervalNanos;
    private final Later later;
    private final Object lock;
    private final LongSupplier monotonicNanos;
    private final Consumer<String> send;
    private long lastSentNanos = Long.MIN_VALUE / 2;
    /** The reason of a request owed at the interval's end, or null. */
    private String deferredReason;

    KeyframeRequests(long intervalNanos, Later later, Object lock, LongSupplier monotonicNanos, Consumer<String> send) {
        this.intervalNanos = intervalNanos;
        this.later = later;
        this.lock = lock;
        this.monotonicNanos = monotonicNanos;
        this.send = send;
    }

    /** A request, under the lock: sent now if the interval since the last one is over, else at its end. */
    void request(String reason, long nowNanos) {
        if (nowNanos - lastSentNanos >= intervalNanos) {
            lastSentNanos = nowNanos;
            send.accept(reason);
            return;
        }
        if (deferredReason == null) {
            later.run(this::due, lastSentNanos + intervalNanos - nowNanos);
        }
        deferredReason = reason; // the latest says best why
    }

    private void due() {
        synchronized (lock) {
            String reason = deferredReason;
            deferredReason = null;
            lastSentNanos = monotonicNanos.getAsLong();
            send.accept(reason);
        }
    }
}
