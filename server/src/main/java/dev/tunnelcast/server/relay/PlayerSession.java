package dev.tunnelcast.server.relay;

import dev.tunnelcast.server.clock.RelayClock;
import dev.tunnelcast.server.metrics.RelayMetrics;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * One player's bounded send queue. The publisher's thread {@link #offer offers} shared
 * messages; at most one send is outstanding on the socket, and its completion callback (on
 * the player's I/O thread) starts the next, so a slow socket never blocks the publisher.
 *
 * <p>Bounds: queued bytes and the age of the oldest queued message. When an offer would
 * break them, queued and incoming video is dropped up to the next keyframe (audio, configs
 * and control messages are kept), the player is told {@code Status{DROPPED}} and the stream
 * asks the publisher for a keyframe. A player that stays behind (its queue has not drained
 * empty since the first overflow) longer than the slow-player timeout, or whose queue
 * reaches twice its byte bound, is reported {@link Offer#SLOW} and closed with 4408.
 *
 * <p>All queue state is guarded by {@code this}; no lock is held while calling the peer.
 */
public final class PlayerSession implements Peer.SendCompletion, Runnable {

    /** What an offer did. */
    public enum Offer {
        QUEUED,
        /** Queued or dropped, and video was dropped: the publisher should send a keyframe. */
        DROPPED_VIDEO,
        /** The player is too slow and must go (4408). */
        SLOW,
        /** The player's socket is closed or failing; its close task removes it. */
        CLOSED
    }

    private final Peer connection;
    private final RelayMetrics metrics;
    private final Counter streamDrops;
    private final LongAdder streamBytesOut;
    private final RelayClock clock;
    private final long maxQueueBytes;
    private final long maxQueueAgeNanos;
    private final long slowTimeoutNanos;
    private final RelayedMessage droppedNotice;

    private final ArrayDeque<RelayedMessage> queue = new ArrayDeque<>();
    private long queuedBytes;
    private long joinedAtNanos;
    private RelayedMessage inFlight;
    private boolean sending;
    private boolean pumping;
    private boolean pumpScheduled;
    private boolean awaitingKeyframe;
    /** Video is being dropped to catch up (drops are counted until the next keyframe is queued). */
    private boolean catchingUp;
    private long behindSinceNanos = -1;
    private boolean closed;

    PlayerSession(Peer connection, RelayClock clock, RelayMetrics metrics, StreamStats stats,
                  long maxQueueBytes, long maxQueueAgeNanos, long slowTimeoutNanos, RelayedMessage droppedNotice) {
        this.connection = connection;
        this.metrics = metrics;
        this.clock = clock;
        this.streamDrops = stats.dropsCounter();
        this.streamBytesOut = stats.bytesOut();
        this.maxQueueBytes = maxQueueBytes;
        this.maxQueueAgeNanos = maxQueueAgeNanos;
        this.slowTimeoutNanos = slowTimeoutNanos;
        this.droppedNotice = droppedNotice;
    }

    public Peer connection() {
        return connection;
    }

    /** Queues the join burst (Welcome, Status, configs, GOP) outside the bounds; live follows. */
    void join(List<RelayedMessage> burst, boolean awaitKeyframe, long nowNanos) {
        boolean kick;
        synchronized (this) {
            joinedAtNanos = nowNanos;
            awaitingKeyframe = awaitKeyframe;
            for (RelayedMessage m : burst) {
                queue.addLast(m);
                queuedBytes += m.sizeBytes();
            }
            kick = needsKick();
        }
        kick(kick);
    }

    /** From now on, video waits for the next keyframe (a publisher (re)started): not a drop. */
    synchronized void awaitKeyframe() {
        awaitingKeyframe = true;
        catchingUp = false;
    }

    /** Offers one live message; called by the stream under its lock, in arrival order. */
    Offer offer(RelayedMessage message, long nowNanos) {
        Offer result = Offer.QUEUED;
        boolean kick;
        synchronized (this) {
            if (closed) {
                return Offer.CLOSED;
            }
            if (message.isVideo() && awaitingKeyframe) {
                if (!message.keyframe()) {
                    if (catchingUp) {
                        countDrops(1);
                    }
                    return Offer.QUEUED;
                }
                awaitingKeyframe = false;
            }
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
                    countDrops(dropped);
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
                closeQueue();
                return Offer.SLOW;
            }
            kick = needsKick();
        }
        kick(kick);
        return result;
    }

    /** The periodic check for a player that is behind while the publisher is quiet. */
    synchronized boolean checkSlow(long nowNanos) {
        if (closed) {
            return false;
        }
        if (behindSinceNanos < 0 && !queue.isEmpty()
                && nowNanos - oldestQueuedNanos() > maxQueueAgeNanos) {
            behindSinceNanos = nowNanos;
        }
        if (isSlow(nowNanos)) {
            closeQueue();
            return true;
        }
        return false;
    }

    synchronized long queuedBytes() {
        return queuedBytes;
    }

    /** The player's socket closed: forget the queue. */
    synchronized void closeQueue() {
        closed = true;
        queue.clear();
        queuedBytes = 0;
    }

    private boolean overBound(int incomingBytes, long nowNanos) {
        if (queuedBytes + incomingBytes > maxQueueBytes) {
            return true;
        }
        return !queue.isEmpty() && nowNanos - oldestQueuedNanos() > maxQueueAgeNanos;
    }

    /** Age of the head, counted from the join for messages queued at join (the GOP is old by nature). */
    private long oldestQueuedNanos() {
        return Math.max(queue.peekFirst().receivedAtNanos(), joinedAtNanos);
    }

    private boolean isSlow(long nowNanos) {
        return queuedBytes > 2 * maxQueueBytes
                || (behindSinceNanos >= 0 && nowNanos - behindSinceNanos > slowTimeoutNanos);
    }

    private int dropQueuedVideo() {
        int dropped = 0;
        for (Iterator<RelayedMessage> it = queue.iterator(); it.hasNext(); ) {
            RelayedMessage m = it.next();
            if (m.isVideo()) {
                it.remove();
                queuedBytes -= m.sizeBytes();
                dropped++;
            }
        }
        return dropped;
    }

    private void countDrops(int dropped) {
        streamDrops.increment(dropped);
    }

    private void enqueue(RelayedMessage message) {
        queue.addLast(message);
        queuedBytes += message.sizeBytes();
    }

    private boolean needsKick() {
        if (sending || pumping || pumpScheduled || queue.isEmpty()) {
            return false;
        }
        pumpScheduled = true;
        return true;
    }

    /**
     * Starts the pump as a task of the player's I/O thread, even when that is the current
     * thread: the publisher's fan-out then only queues, and holds the stream lock for
     * microseconds, whatever the number of players.
     */
    private void kick(boolean kick) {
        if (!kick) {
            return;
        }
        try {
            connection.execute(this);
        } catch (RejectedExecutionException shuttingDown) {
            // The I/O thread is terminating (relay shutdown): the connection goes with it,
            // so there is nothing left to send.
            synchronized (this) {
                pumpScheduled = false;
            }
        }
    }

    /** Runs the pump on the player's I/O thread. */
    @Override
    public void run() {
        synchronized (this) {
            pumpScheduled = false;
            if (pumping) {
                return;
            }
            pumping = true;
        }
        pump();
    }

    /** Sends queued messages one at a time; completions that arrive synchronously keep the loop going. */
    private void pump() {
        try {
            for (;;) {
                RelayedMessage next;
                synchronized (this) {
                    if (sending || closed || queue.isEmpty()) {
                        pumping = false;
                        return;
                    }
                    next = queue.pollFirst();
                    queuedBytes -= next.sizeBytes();
                    inFlight = next;
                    sending = true;
                }
                connection.send(next.bytes().duplicate(), this);
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                pumping = false;
                sending = false;
            }
            throw e;
        }
    }

    @Override
    public void sent() {
        long now = clock.monotonicNanos();
        boolean drive;
        RelayedMessage sent;
        boolean measured;
        synchronized (this) {
            sent = inFlight;
            inFlight = null;
            sending = false;
            // GOP messages queued at join were received before it: they are not relay latency.
            measured = sent != null && sent.kind() != RelayedMessage.Kind.CONTROL
                    && sent.receivedAtNanos() >= joinedAtNanos;
            if (queue.isEmpty()) {
                behindSinceNanos = -1;
            }
            drive = !pumping && !closed && !queue.isEmpty();
            if (drive) {
                pumping = true;
            }
        }
        if (sent != null) {
            metrics.sent(sent.sizeBytes(), measured ? now - sent.receivedAtNanos() : -1);
            streamBytesOut.add(sent.sizeBytes());
        }
        if (drive) {
            pump();
        }
    }

    @Override
    public void failed(Throwable error) {
        synchronized (this) {
            inFlight = null;
            sending = false;
        }
        closeQueue();
    }
}
