package dev.tunnelcast.server.relay;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * One player's bounded queue and its drop policy, with no I/O, no lock and no clock of its
 * own: every call says what time it is, so a test drives it with plain numbers. The caller
 * ({@link PlayerSession}) serializes the calls, pumps the queue into the socket and counts.
 *
 * <p>Bounds: queued bytes and the age of the oldest queued message (messages queued at
 * join, the GOP, count their age from the join). When an offer would break them, queued and
 * incoming video is dropped up to the next keyframe; audio, configs and control messages are
 * kept. The first such offer of an episode also queues {@code droppedNotice}. A player is
 * <i>behind</i> from the first overflow until its queue drains empty; one behind for longer
 * than {@code slowTimeoutNanos}, or whose queue reaches twice its byte bound (audio and
 * control are never dropped, so this bounds them), is {@link Offer#SLOW}: the relay closes it
 * (4408). Unlike the agent's {@code SendQueue}, audio is never dropped here: a player that
 * cannot take the audio alone goes, and reconnects (see docs/protocol.md).
 */
final class PlayerQueue {

    /** What an offer did. */
    enum Offer {
        QUEUED,
        /** Queued or dropped, and video was dropped: the publisher should send a keyframe. */
        DROPPED_VIDEO,
        /** The player is too slow and must go (4408); the queue is closed. */
        SLOW,
        /** The queue was closed before. */
        CLOSED,
        /**
         * Not the queue's but its {@link PlayerSession}'s: the player waits to switch down to a
         * lower simulcast layer at its next keyframe; the publisher should send one.
         */
        SWITCHING_DOWN
    }

    private final long maxBytes;
    private final long maxAgeNanos;
    private final long slowTimeoutNanos;
    private final RelayedMessage droppedNotice;

    private final ArrayDeque<RelayedMessage> queue = new ArrayDeque<>();
    private long queuedBytes;
    /** Bytes that left the queue so far: taken for the socket ({@link #poll()}) or dropped from it. */
    private long leftBytes;
    private long takenBytes;
    private long joinedAtNanos;
    private boolean awaitingKeyframe;
    /** Video is being dropped to catch up (drops are counted until the next keyframe is queued). */
    private boolean catchingUp;
    private long behindSinceNanos = -1;
    private boolean closed;
    /** Padding messages in the queue. */
    private int paddingQueued;
    /** Messages dropped since the last {@link #takeDrops()}. */
    private int drops;

    PlayerQueue(long maxBytes, long maxAgeNanos, long slowTimeoutNanos, RelayedMessage droppedNotice) {
        this.maxBytes = maxBytes;
        this.maxAgeNanos = maxAgeNanos;
        this.slowTimeoutNanos = slowTimeoutNanos;
        this.droppedNotice = droppedNotice;
    }

    /** Queues the join burst (Welcome, Status, configs, GOP) outside the bounds; live follows. */
    void join(List<RelayedMessage> burst, boolean awaitKeyframe, long nowNanos) {
        joinedAtNanos = nowNanos;
        awaitingKeyframe = awaitKeyframe;
        for (RelayedMessage m : burst) {
            enqueue(m);
        }
    }

    /** From now on, video waits for the next keyframe (a publisher (re)started): not a drop. */
    void awaitKeyframe() {
        awaitingKeyframe = true;
        catchingUp = false;
    }

    /** Offers one live message, in arrival order. */
    Offer offer(RelayedMessage message, long nowNanos) {
        if (closed) {
            return Offer.CLOSED;
        }
        if (message.isVideo() && awaitingKeyframe) {
            if (!message.keyframe()) {
                if (catchingUp) {
                    drops++;
                }
                return Offer.QUEUED;
            }
            awaitingKeyframe = false;
        }
        Offer result = Offer.QUEUED;
        boolean queued = true;
        if (overBound(message.sizeBytes(), nowNanos)) {
            if (behindSinceNanos < 0) {
                behindSinceNanos = nowNanos;
            }
            int dropped = dropQueuedVideo();
            if (message.isVideo() && (!message.keyframe() || overBound(message.sizeBytes(), nowNanos))) {
                dropped++;
                queued = false;
                awaitingKeyframe = true;
            }
            if (dropped > 0) {
                drops += dropped;
                result = Offer.DROPPED_VIDEO;
                if (!catchingUp) {
                    catchingUp = true; // one notice per episode, not per dropped message
                    enqueue(droppedNotice);
                }
            }
        }
        if (queued) {
            enqueue(message);
            if (message.isVideo() && message.keyframe()) {
                catchingUp = false;
            }
        }
        if (isSlow(nowNanos)) {
            close();
            return Offer.SLOW;
        }
        return result;
    }

    /**
     * Queues a relay-made answer to this player (a Pong): never dropped, but counted against
     * the byte bound, so a player that asks and does not read ends {@link Offer#SLOW}.
     */
    Offer offerControl(RelayedMessage message, long nowNanos) {
        if (closed) {
            return Offer.CLOSED;
        }
        enqueue(message);
        if (isSlow(nowNanos)) {
            close();
            return Offer.SLOW;
        }
        return Offer.QUEUED;
    }

    /**
     * Queues one chunk of a padding probe's filler, outside the bounds: the probe ends, and
     * {@link #dropPadding()} takes it out, as soon as the queue backs up.
     */
    void offerPadding(RelayedMessage padding) {
        if (!closed) {
            enqueue(padding);
            paddingQueued++;
        }
    }

    /** Drops the padding queued (the probe ended): not counted as drops, nothing of the stream's is lost. */
    void dropPadding() {
        if (paddingQueued > 0) {
            removeQueued(m -> m.kind() == RelayedMessage.Kind.PADDING);
            paddingQueued = 0;
        }
    }

    /** The periodic verdict on a player that is behind while the publisher is quiet: true if it must go. */
    boolean checkSlow(long nowNanos) {
        if (closed) {
            return false;
        }
        if (behindSinceNanos < 0 && !queue.isEmpty() && nowNanos - oldestQueuedNanos() > maxAgeNanos) {
            behindSinceNanos = nowNanos;
        }
        if (isSlow(nowNanos)) {
            close();
            return true;
        }
        return false;
    }

    /** The next message to send, or null if none (or closed). */
    RelayedMessage poll() {
        if (closed) {
            return null;
        }
        RelayedMessage next = queue.pollFirst();
        if (next != null) {
            if (next.kind() == RelayedMessage.Kind.PADDING) {
                paddingQueued--;
            }
            queuedBytes -= next.sizeBytes();
            leftBytes += next.sizeBytes();
            takenBytes += next.sizeBytes();
        }
        return next;
    }

    /** A send completed: a player whose queue is empty has caught up. */
    void sent() {
        if (queue.isEmpty()) {
            behindSinceNanos = -1;
        }
    }

    /** Whether a sent message's delay counts as relay latency (the join burst's GOP was old before it). */
    boolean isLive(RelayedMessage message) {
        return message.kind() != RelayedMessage.Kind.CONTROL && message.kind() != RelayedMessage.Kind.PADDING
                && message.receivedAtNanos() >= joinedAtNanos;
    }

    /** Drops everything; later offers are {@link Offer#CLOSED}. */
    void close() {
        closed = true;
        queue.clear();
        queuedBytes = 0;
        paddingQueued = 0;
    }

    boolean isClosed() {
        return closed;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    long queuedBytes() {
        return queuedBytes;
    }

    /** Bytes that left the queue since it began: taken for the socket, or dropped from it (video, to catch up). */
    long leftBytes() {
        return leftBytes;
    }

    /** Bytes taken from the queue for the socket since it began (not those dropped). */
    long takenBytes() {
        return takenBytes;
    }

    /** When the oldest queued message arrived (as the age bound counts it), or -1 when the queue is empty. */
    long oldestQueuedAtNanos() {
        return queue.isEmpty() ? -1 : oldestQueuedNanos();
    }

    /** How many messages were dropped since the last call. */
    int takeDrops() {
        int n = drops;
        drops = 0;
        return n;
    }

    private boolean overBound(int incomingBytes, long nowNanos) {
        if (queuedBytes + incomingBytes > maxBytes) {
            return true;
        }
        return !queue.isEmpty() && nowNanos - oldestQueuedNanos() > maxAgeNanos;
    }

    /** Age of the head, counted from the join for messages queued at join (the GOP is old by nature). */
    private long oldestQueuedNanos() {
        return ageCountsFrom(queue.peekFirst());
    }

    /** When a message of this queue starts to count as waiting: its arrival, or the join for the join burst's. */
    long ageCountsFrom(RelayedMessage message) {
        return Math.max(message.receivedAtNanos(), joinedAtNanos);
    }

    private boolean isSlow(long nowNanos) {
        return queuedBytes > 2 * maxBytes
                || (behindSinceNanos >= 0 && nowNanos - behindSinceNanos > slowTimeoutNanos);
    }

    private int dropQueuedVideo() {
        dropPadding();
        return removeQueued(RelayedMessage::isVideo);
    }

    /** Removes the queued messages {@code which} selects (they count as having left the queue); returns how many. */
    private int removeQueued(Predicate<RelayedMessage> which) {
        int removed = 0;
        for (Iterator<RelayedMessage> it = queue.iterator(); it.hasNext(); ) {
            RelayedMessage m = it.next();
            if (which.test(m)) {
                it.remove();
                queuedBytes -= m.sizeBytes();
                leftBytes += m.sizeBytes();
                removed++;
            }
        }
        return removed;
    }

    private void enqueue(RelayedMessage message) {
        queue.addLast(message);
        queuedBytes += message.sizeBytes();
    }
}
