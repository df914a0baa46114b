package dev.tunnelcast.server.relay;

import dev.tunnelcast.server.clock.RelayClock;
import dev.tunnelcast.server.metrics.RelayMetrics;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * One player's send pump around its {@link PlayerQueue} (which holds the bounds and the drop
 * policy). The publisher's thread {@link #offer offers} shared messages; at most one send is
 * outstanding on the socket, and its completion callback (on the player's I/O thread) starts
 * the next, so a slow socket never blocks the publisher. Drops, bytes sent and relay latency
 * are counted here.
 *
 * <p>All queue and pump state is guarded by {@code this}; no lock is held while calling the peer.
 */
public final class PlayerSession implements Peer.SendCompletion, Runnable {

    private final Peer connection;
    private final RelayMetrics metrics;
    private final Counter streamDrops;
    private final LongAdder streamBytesOut;
    private final RelayClock clock;
    private final PlayerQueue queue;

    private RelayedMessage inFlight;
    private boolean sending;
    private boolean pumping;
    private boolean pumpScheduled;

    PlayerSession(Peer connection, RelayClock clock, RelayMetrics metrics, StreamStats stats, PlayerQueue queue) {
        this.connection = connection;
        this.metrics = metrics;
        this.clock = clock;
        this.streamDrops = stats.dropsCounter();
        this.streamBytesOut = stats.bytesOut();
        this.queue = queue;
    }

    public Peer connection() {
        return connection;
    }

    /** Queues the join burst (Welcome, Status, configs, GOP) outside the bounds; live follows. */
    void join(List<RelayedMessage> burst, boolean awaitKeyframe, long nowNanos) {
        boolean kick;
        synchronized (this) {
            queue.join(burst, awaitKeyframe, nowNanos);
            kick = needsKick();
        }
        kick(kick);
    }

    /** From now on, video waits for the next keyframe (a publisher (re)started): not a drop. */
    synchronized void awaitKeyframe() {
        queue.awaitKeyframe();
    }

    /** Offers one live message; called by the stream under its lock, in arrival order. */
    PlayerQueue.Offer offer(RelayedMessage message, long nowNanos) {
        PlayerQueue.Offer result;
        boolean kick;
        synchronized (this) {
            result = queue.offer(message, nowNanos);
            countDrops(queue.takeDrops());
            kick = result != PlayerQueue.Offer.SLOW && result != PlayerQueue.Offer.CLOSED && needsKick();
        }
        kick(kick);
        return result;
    }

    /** Queues a relay-made answer to this player (a Pong) behind its media; never dropped, bounded as media. */
    PlayerQueue.Offer offerControl(RelayedMessage answer, long nowNanos) {
        PlayerQueue.Offer result;
        boolean kick;
        synchronized (this) {
            result = queue.offerControl(answer, nowNanos);
            kick = result == PlayerQueue.Offer.QUEUED && needsKick();
        }
        kick(kick);
        return result;
    }

    /** The periodic check for a player that is behind while the publisher is quiet. */
    synchronized boolean checkSlow(long nowNanos) {
        return queue.checkSlow(nowNanos);
    }

    synchronized long queuedBytes() {
        return queue.queuedBytes();
    }

    /** The player's socket closed: forget the queue. */
    synchronized void closeQueue() {
        queue.close();
    }

    private void countDrops(int dropped) {
        if (dropped > 0) {
            streamDrops.increment(dropped);
        }
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
                    next = sending ? null : queue.poll();
                    if (next == null) {
                        pumping = false;
                        return;
                    }
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
            measured = sent != null && queue.isLive(sent);
            queue.sent();
            drive = !pumping && !queue.isClosed() && !queue.isEmpty();
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
