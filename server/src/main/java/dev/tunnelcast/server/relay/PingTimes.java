package dev.tunnelcast.server.relay;

import java.util.Arrays;

/**
 * The relay's last few Pings to one player, by id: when each went out, so that a Pong is timed
 * against the relay's own record rather than a time the client echoes back (a Pong for an id
 * the relay did not send, or sent too long ago, or answered already, times nothing), and the
 * <i>trains</i>: a Ping before a keyframe and one after it in the same write. The player's
 * clock at the two arrivals tells how long the link took to deliver what was between them,
 * which is its rate (packet-train dispersion, as WebRTC's probes are measured at the receiver).
 */
final class PingTimes {

    /** Pings remembered: at one every 20 ms during a probe, over a second of them. */
    static final int REMEMBERED = 64;

    private final long[] ids = new long[REMEMBERED];
    private final long[] sentAtNanos = new long[REMEMBERED];
    /** For a train's last Ping: its first Ping's id and the bytes between them; 0 otherwise. */
    private final long[] trainHeadIds = new long[REMEMBERED];
    private final long[] trainBytes = new long[REMEMBERED];
    /** When the Ping arrived, by the player's clock (its Pong's receive time), once answered. */
    private final long[] arrivedAtPlayerMicros = new long[REMEMBERED];
    private long lastId;

    PingTimes() {
        Arrays.fill(sentAtNanos, -1);
    }

    /** A Ping goes out now: its id. */
    long sent(long nowNanos) {
        return sent(nowNanos, 0, 0);
    }

    /** The last Ping of a train goes out now, {@code bytes} after the Ping {@code headId}: its id. */
    long sentAfterTrain(long nowNanos, long headId, long bytes) {
        return sent(nowNanos, headId, bytes);
    }

    private long sent(long nowNanos, long headId, long bytes) {
        lastId++;
        int slot = slot(lastId);
        ids[slot] = lastId;
        sentAtNanos[slot] = nowNanos;
        trainHeadIds[slot] = headId;
        trainBytes[slot] = bytes;
        return lastId;
    }

    /**
     * The Pong of Ping {@code id} arrived; the player received the Ping at {@code arrivedAtPlayerMicros}
     * on its clock. Returns when the Ping went out, once; -1 for an id unknown, forgotten or answered already.
     */
    long take(long id, long arrivedAtPlayerMicros) {
        if (!remembered(id) || sentAtNanos[slot(id)] < 0) {
            return -1;
        }
        int slot = slot(id);
        long sentAt = sentAtNanos[slot];
        sentAtNanos[slot] = -1;
        this.arrivedAtPlayerMicros[slot] = arrivedAtPlayerMicros;
        return sentAt;
    }

    /** Whether the Ping {@code id} ended a train. */
    boolean endedTrain(long id) {
        return remembered(id) && trainHeadIds[slot(id)] != 0;
    }

    /**
     * For an answered Ping that ended a train whose first Ping was answered too: the rate at
     * which the player received what was between them, bits per second; -1 otherwise.
     */
    long trainBitsPerSecond(long id) {
        if (!endedTrain(id)) {
            return -1;
        }
        int slot = slot(id);
        long headId = trainHeadIds[slot];
        if (!remembered(headId) || sentAtNanos[slot(headId)] >= 0 || sentAtNanos[slot] >= 0) {
            return -1; // the first Ping is forgotten or not answered yet
        }
        long micros = Math.max(1, arrivedAtPlayerMicros[slot] - arrivedAtPlayerMicros[slot(headId)]);
        return trainBytes[slot] * 8 * 1_000_000 / micros;
    }

    private boolean remembered(long id) {
        return id > 0 && id <= lastId && id > lastId - REMEMBERED && ids[slot(id)] == id;
    }

    private static int slot(long id) {
        return (int) (id % REMEMBERED);
    }
}
