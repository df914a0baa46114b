package dev.tunnelcast.server.relay;

import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Ping;
import dev.tunnelcast.proto.v1.Pong;
import dev.tunnelcast.server.clock.RelayClock;
import dev.tunnelcast.server.metrics.RelayMetrics;
import io.micrometer.core.instrument.Counter;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One player's send pump around its {@link PlayerQueue} (which holds the bounds and the drop
 * policy). The publisher's thread {@link #offer offers} shared messages; the pump takes
 * everything queued at that moment (up to {@link #MAX_BATCH_MESSAGES}) and writes their
 * pre-built frames with one gathering write, so a batch is one system call and batches grow
 * with load by themselves; nothing is held back to wait for one. At most one batch is
 * outstanding on the socket, and its completion (on the player's I/O thread) starts the next,
 * so a slow socket never blocks the publisher. Drops, bytes sent and relay latency are
 * counted here. For a player whose simulcast layer the relay chooses, the pump also writes the
 * relay's own Pings (one heading a batch when the layer choice asks, two around a keyframe's
 * batch: a train) and {@link #answered} takes their Pongs back to the layer choice.
 *
 * <p>All queue and pump state is guarded by {@code this}; no lock is held while calling the peer.
 */
public final class PlayerSession implements Peer.SendCompletion, Runnable {

    private static final Logger log = LoggerFactory.getLogger(PlayerSession.class);

    private final Peer connection;
    private final RelayMetrics metrics;
    private final Counter streamDrops;
    private final LongAdder streamBytesOut;
    private final RelayClock clock;
    private final PlayerQueue queue;
    private final LayerRouter layers;
    private final LayerSwitches switches;

    /**
     * The most frames one write gathers: Linux's IOV_MAX (1024) is the kernel's limit per
     * writev; a queue holding more (a player catching up on a join burst) takes more writes.
     */
    static final int MAX_BATCH_MESSAGES = 1024;
    /**
     * A batch stops growing past this many bytes: the layer choice sees a slow link's pace only
     * as batches complete ({@link DrainRate}), so a batch must not hold seconds of it.
     */
    static final int MAX_BATCH_BYTES = 16 * 1024;

    /** A padding probe's filler comes in envelopes of about this many bytes. */
    static final int PADDING_CHUNK_BYTES = 4 * 1024;
    private static final RelayedMessage PADDING = RelayedMessage.padding(PADDING_CHUNK_BYTES);

    /**
     * The batch arrays' first length: most batches are a message or two (a batch stops at
     * {@value #MAX_BATCH_BYTES} bytes), so they start small and double as a batch needs, up to
     * {@link #MAX_BATCH_MESSAGES}; two arrays of 1,024 would be 8 KiB of heap for every player.
     */
    private static final int INITIAL_BATCH_SLOTS = 16;

    private RelayedMessage[] inFlight = new RelayedMessage[INITIAL_BATCH_SLOTS];
    private ByteBuffer[] frames = new ByteBuffer[INITIAL_BATCH_SLOTS];
    private int inFlightCount;
    private long inFlightBytes;
    /** The kernel send buffer last asked for on the layer choice's behalf (Linux's doubled figure), 0: none yet. */
    private long appliedKernelBufferBytes;
    /** What the layer choice sees: the queue and the batch being written, as one backlog. */
    private final QueueState unsent = new Unsent();
    private boolean sending;
    private boolean pumping;
    private boolean pumpScheduled;
    /** The layer choice wants the player's path timed: a Ping goes out ahead of the next batch. */
    private boolean pingOwed;
    /**
     * The relay's Pings to this player, made with the first: only a player whose layer the relay
     * chooses is sent any, and the record is 2.6 KiB, a third of what a player costs otherwise.
     */
    private PingTimes pings;
    /** The batch being written starts with a Ping (not from the queue: not in {@code inFlightBytes}); its id. */
    private boolean pingInFlight;
    private long headPingId;
    /** A keyframe this large makes its batch a train: the link's rate is measured on it. */
    static final int TRAIN_MIN_BYTES = 8 * 1024;

    PlayerSession(Peer connection, RelayClock clock, RelayMetrics metrics, StreamStats stats, PlayerQueue queue,
                  LayerRouter layers) {
        this.connection = connection;
        this.metrics = metrics;
        this.clock = clock;
        this.streamDrops = stats.dropsCounter();
        this.streamBytesOut = stats.bytesOut();
        this.queue = queue;
        this.layers = layers;
        this.switches = stats.layerSwitches();
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
        layers.stop();
    }

    /**
     * The stream's simulcast layers are known: picks the player's layer ({@link LayerRouter#start}).
     *
     * @throws Refusal when the player asked for a layer the stream does not have
     */
    synchronized int startLayer(long nowNanos, boolean announced, IntPredicate haveKeyframe) throws Refusal {
        return layers.start(nowNanos, announced, haveKeyframe);
    }

    /**
     * Offers one live message; called by the stream under its lock, in arrival order. A pump it
     * needs is left to {@code kicks}, which the fan-out starts once for all its players.
     */
    PlayerQueue.Offer offer(RelayedMessage message, long nowNanos, PumpKicks kicks) {
        PlayerQueue.Offer result;
        boolean kick;
        synchronized (this) {
            result = message.layer() == RelayedMessage.NO_LAYER ? queue.offer(message, nowNanos) : offerLayer(message, nowNanos);
            countDrops(queue.takeDrops());
            kick = result != PlayerQueue.Offer.SLOW && result != PlayerQueue.Offer.CLOSED && needsKick();
        }
        if (kick) {
            kicks.add(this);
        }
        return result;
    }

    /** Offers a config or packet of the simulcast track as the player's {@link LayerRouter} says; under the lock. */
    private PlayerQueue.Offer offerLayer(RelayedMessage message, long nowNanos) {
        int before = layers.layer();
        LayerRouter.Step step = layers.route(message, nowNanos, unsent);
        if (switches.count(before, layers.layer()) && log.isDebugEnabled()) {
            log.debug("player {} of {} moves from layer {} to {} ({}; kernel buffer {} KiB)", connection.sessionId(),
                    connection.stream(), before, layers.layer(), layers.explain(nowNanos), layers.kernelBufferBytes() / 1024);
        }
        long kernelBuffer = layers.kernelBufferBytes();
        if (kernelBuffer > 0 && kernelBuffer != appliedKernelBufferBytes) {
            appliedKernelBufferBytes = kernelBuffer;
            connection.limitSendBuffer((int) (kernelBuffer / 2)); // Linux doubles what it is given
        }
        PlayerQueue.Offer result = switch (step) {
            case SKIP -> PlayerQueue.Offer.QUEUED;
            case ANNOUNCE_AND_FORWARD -> {
                PlayerQueue.Offer announced = queue.offer(layers.announcement(), nowNanos);
                if (announced == PlayerQueue.Offer.SLOW || announced == PlayerQueue.Offer.CLOSED) {
                    yield announced;
                }
                PlayerQueue.Offer forwarded = queue.offer(message, nowNanos);
                yield forwarded == PlayerQueue.Offer.QUEUED ? announced : forwarded;
            }
            case FORWARD -> queue.offer(message, nowNanos);
        };
        queuePadding(nowNanos);
        pingOwed |= layers.pingDue(nowNanos);
        return result == PlayerQueue.Offer.QUEUED && layers.switchingDown() ? PlayerQueue.Offer.SWITCHING_DOWN : result;
    }

    /** A padding probe's filler goes behind the media; once the probe ended, what is left of it goes. Under the lock. */
    private void queuePadding(long nowNanos) {
        LayerPolicy.ProbeOutcome outcome = layers.takeProbeOutcome();
        if (outcome != LayerPolicy.ProbeOutcome.NONE) {
            switches.probeEnded(outcome);
            if (log.isDebugEnabled()) {
                log.debug("player {} of {}: padding probe {}, on layer {} ({})", connection.sessionId(), connection.stream(),
                        outcome.name().toLowerCase(Locale.ROOT), layers.layer(), layers.explain(nowNanos));
            }
        }
        if (!layers.probing()) {
            queue.dropPadding();
            return;
        }
        for (int chunks = layers.paddingChunks(nowNanos, PADDING.sizeBytes()); chunks > 0; chunks--) {
            queue.offerPadding(PADDING.queuedAt(nowNanos));
        }
    }

    /**
     * The player answered one of the relay's Pings: its round trip goes to the layer choice, and
     * a padding probe it ends takes its queued filler with it. A Pong that answers no Ping of
     * the relay's (unknown, repeated, forged) is ignored.
     */
    public synchronized void answered(Pong pong, long receivedAtNanos) {
        long sentAtNanos = pings == null ? -1 : pings.take(pong.getId(), pong.getReceiveTimeMicros());
        if (sentAtNanos < 0) {
            return;
        }
        if (pings.endedTrain(pong.getId())) {
            // Its round trip includes the train's own transmission: not a queuing delay.
            long rate = pings.trainBitsPerSecond(pong.getId());
            if (rate > 0) {
                layers.trainRate(receivedAtNanos, rate);
            }
            return;
        }
        long atPlayerNanos = Math.max(0, (pong.getSendTimeMicros() - pong.getReceiveTimeMicros()) * 1000);
        long rttNanos = receivedAtNanos - sentAtNanos - atPlayerNanos;
        layers.roundTrip(receivedAtNanos, Math.max(0, rttNanos));
        if (!layers.probing()) {
            queue.dropPadding();
        }
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
        if (sending || pumping || pumpScheduled || (queue.isEmpty() && !pingOwed)) {
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
            pumpNotStarted();
        }
    }

    /** A scheduled pump could not be started (its I/O thread is shutting down). */
    synchronized void pumpNotStarted() {
        pumpScheduled = false;
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

    /** Sends what is queued, a batch at a time; completions that arrive synchronously keep the loop going. */
    private void pump() {
        try {
            for (;;) {
                int count;
                ByteBuffer[] batch;
                synchronized (this) {
                    count = sending ? 0 : takeBatch();
                    if (count == 0) {
                        pumping = false;
                        return;
                    }
                    sending = true;
                    batch = frames;
                }
                connection.send(batch, count, this);
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                pumping = false;
                sending = false;
            }
            throw e;
        }
    }

    /**
     * Moves the queue's head messages into the in-flight batch, their frames duplicated, behind a
     * Ping if one is owed (it times the path, not the queue); under the lock. A batch that holds
     * a keyframe of at least {@value #TRAIN_MIN_BYTES} bytes for a player whose path is timed
     * becomes a train: a Ping first and one last, whose arrivals at the player give the link's rate
     * ({@link PingTimes}).
     */
    private int takeBatch() {
        int count = 0;
        if (pingOwed) {
            pingOwed = false;
            long now = clock.monotonicNanos();
            putPing(0, pings().sent(now), now);
            count++;
        }
        long keyframeBytes = 0;
        RelayedMessage next;
        while (count < MAX_BATCH_MESSAGES - 2 && inFlightBytes < MAX_BATCH_BYTES && (next = queue.poll()) != null) {
            ensureBatchSlots(count + 3); // this message, and a train's two Pings
            inFlight[count] = next;
            frames[count] = next.frame().duplicate();
            inFlightBytes += next.sizeBytes();
            keyframeBytes += next.isVideo() && next.keyframe() ? next.sizeBytes() : 0;
            count++;
        }
        if (keyframeBytes >= TRAIN_MIN_BYTES && layers.timesPath()) {
            long now = clock.monotonicNanos();
            if (!pingInFlight) {
                System.arraycopy(inFlight, 0, inFlight, 1, count);
                System.arraycopy(frames, 0, frames, 1, count);
                putPing(0, pings().sent(now), now);
                count++;
            }
            putPing(count, pings().sentAfterTrain(now, headPingId, inFlightBytes), now);
            count++;
        }
        inFlightCount = count;
        return count;
    }

    /** The Ping record, made on first use; under the lock. */
    private PingTimes pings() {
        if (pings == null) {
            pings = new PingTimes();
        }
        return pings;
    }

    /** Grows the batch arrays to at least {@code slots} (never past {@link #MAX_BATCH_MESSAGES}); only between batches. */
    private void ensureBatchSlots(int slots) {
        if (slots <= frames.length) {
            return;
        }
        int length = Math.min(MAX_BATCH_MESSAGES, Math.max(slots, frames.length * 2));
        inFlight = Arrays.copyOf(inFlight, length);
        frames = Arrays.copyOf(frames, length);
    }

    /** Puts a Ping with this id, sent at {@code now} as {@link PingTimes} recorded, at {@code index} of the batch; at 0 it heads it. */
    private void putPing(int index, long id, long now) {
        RelayedMessage ping = RelayedMessage.control(Envelope.newBuilder().setPing(Ping.newBuilder()
                .setId(id).setSendTimeMicros(now / 1000)).build(), now);
        inFlight[index] = ping;
        frames[index] = ping.frame().duplicate();
        if (index == 0) {
            pingInFlight = true;
            headPingId = id;
        }
    }

    @Override
    public void sent() {
        long now = clock.monotonicNanos();
        boolean drive;
        synchronized (this) {
            for (int i = 0; i < inFlightCount; i++) {
                RelayedMessage sent = inFlight[i];
                metrics.sent(sent.sizeBytes(), queue.isLive(sent) ? now - sent.receivedAtNanos() : -1, sent.carried());
                streamBytesOut.add(sent.sizeBytes());
            }
            metrics.batchSent();
            clearBatch();
            sending = false;
            queue.sent();
            drive = !pumping && !queue.isClosed() && (!queue.isEmpty() || pingOwed);
            if (drive) {
                pumping = true;
            }
        }
        if (drive) {
            pump();
        }
    }

    @Override
    public void failed(Throwable error) {
        synchronized (this) {
            clearBatch();
            sending = false;
        }
        closeQueue();
    }

    /** Lets the sent messages go (the GOP cache may be the last to hold them). */
    private void clearBatch() {
        Arrays.fill(inFlight, 0, inFlightCount, null);
        Arrays.fill(frames, 0, inFlightCount, null);
        inFlightCount = 0;
        inFlightBytes = 0;
        pingInFlight = false;
    }

    /**
     * The player's backlog as its layer choice must see it: the messages queued and those of the
     * batch being written. A batch takes everything queued (up to {@link #MAX_BATCH_MESSAGES}),
     * so on a slow link the queue alone looks young and empty while the batch waits on the
     * socket; its bytes count as taken once the whole batch is in the kernel. Read under the
     * session's lock, as {@link LayerRouter#route} is called.
     */
    private final class Unsent implements QueueState {
        @Override
        public long oldestQueuedAtNanos() {
            int first = pingInFlight ? 1 : 0;
            return inFlightCount > first ? queue.ageCountsFrom(inFlight[first]) : queue.oldestQueuedAtNanos();
        }

        @Override
        public long leftBytes() {
            return queue.leftBytes() - inFlightBytes;
        }

        @Override
        public long takenBytes() {
            return queue.takenBytes() - inFlightBytes;
        }

        @Override
        public long queuedBytes() {
            return queue.queuedBytes() + inFlightBytes;
        }
    }
}
