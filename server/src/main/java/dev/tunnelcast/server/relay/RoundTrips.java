package dev.tunnelcast.server.relay;

import java.util.ArrayDeque;

/**
 * One player's round-trip times, as the relay's own Pings to it measure them, and what they
 * say about the path: its base round trip (the least over the last {@value #WINDOW_SECONDS}
 * s, the path with empty buffers, as BBR's and LEDBAT's min filters take it) and the queuing
 * delay on top of it now. A Ping is written ahead of the player's queue, so what it waits for
 * is the socket's kernel buffer and the buffers along the path: filler or media that a link
 * cannot carry shows here a fraction of a second before it backs the queue up. No I/O and no
 * clock of its own.
 */
final class RoundTrips {

    static final int WINDOW_SECONDS = 10;
    private static final long WINDOW_NANOS = WINDOW_SECONDS * 1_000_000_000L;

    /** Samples that may still be the window's least, oldest first, with rising round trips (a monotonic queue). */
    private final ArrayDeque<long[]> candidates = new ArrayDeque<>();
    private long latestNanos = -1;

    /** A Pong came back {@code rttNanos} after its Ping went out (the player's own processing time taken off). */
    void sample(long nowNanos, long rttNanos) {
        while (!candidates.isEmpty() && candidates.peekLast()[1] >= rttNanos) {
            candidates.pollLast();
        }
        candidates.addLast(new long[] {nowNanos, rttNanos});
        latestNanos = rttNanos;
        while (nowNanos - candidates.peekFirst()[0] > WINDOW_NANOS) {
            candidates.pollFirst();
        }
    }

    /** Whether any sample was taken: a player that does not answer Pings has none. */
    boolean measured() {
        return latestNanos >= 0;
    }

    /** The least round trip of the window (the last sample's, as of when it was taken), or -1 with none. */
    long baseNanos() {
        return candidates.isEmpty() ? -1 : candidates.peekFirst()[1];
    }

    /** The last sample above the base: how long the last Ping waited in the path's buffers; 0 with none. */
    long queuingNanos() {
        return measured() ? latestNanos - baseNanos() : 0;
    }
}
