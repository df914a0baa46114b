package dev.tunnelcast.server.relay;

import java.util.Arrays;

/**
 * When the relay's last few Pings to one player went out, by id, so that a Pong is timed
 * against the relay's own record rather than a time the client echoes back: a Pong for an
 * id the relay did not send, or sent too long ago, or answered already, times nothing.
 */
final class PingTimes {

    /** Pings remembered: at one every 50 ms during a probe, over 3 s of them. */
    static final int REMEMBERED = 64;

    private final long[] sentAtNanos = new long[REMEMBERED];
    private long lastId;

    PingTimes() {
        Arrays.fill(sentAtNanos, -1);
    }

    /** A Ping goes out now: its id. */
    long sent(long nowNanos) {
        lastId++;
        sentAtNanos[(int) (lastId % REMEMBERED)] = nowNanos;
        return lastId;
    }

    /** When the Ping {@code id} went out, once; -1 for an id unknown, forgotten or answered already. */
    long take(long id) {
        if (id <= 0 || id > lastId || id <= lastId - REMEMBERED) {
            return -1;
        }
        int slot = (int) (id % REMEMBERED);
        long sentAt = sentAtNanos[slot];
        sentAtNanos[slot] = -1;
        return sentAt;
    }
}
