package dev.tunnelcast.agent;

import dev.tunnelcast.agent.publish.RelayReceipt;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * {@code --adaptive}: the video bitrate from a delay-based estimate of what the uplink carries,
 * in the manner of WebRTC's GCC and of BBR. Fed every ~100 ms with the bytes written to the
 * socket so far and the queuing delay now (the oldest queued media's age plus the queueing a
 * Ping met beyond the socket), it measures the drain rate over the last second and watches the
 * delay's floor (its minimum over each second, so a keyframe's burst does not count):
 * <ul>
 *   <li>over-use (the floor is above {@link #OVERUSE_DELAY_MICROS} and higher than a second
 *       before, or a standing queue above {@link #STANDING_DELAY_MICROS}, or the send queue had
 *       to drop video): the uplink's rate is what reached the relay (its Pongs' counts) while
 *       media waited in a queue (the send queue or beyond the socket), or without those counts
 *       what drained while the send queue was backlogged;
 *       video goes down to {@link #BACKOFF} of it, less the audio's share, but by no more than
 *       to {@link #MAX_CUT}; with neither measurement, by {@link #BACKOFF} at most;</li>
 *   <li>the delay is falling: hold;</li>
 *   <li>the delay is low: probe up by {@link #PROBE_PER_SECOND} a second, by only
 *       {@link #PROBE_NEAR_PER_SECOND} within {@link #NEAR} of the remembered rate (the median
 *       of what the over-uses of the last {@link #CAPACITY_MEMORY_MICROS} measured) and no further
 *       than {@link #HEADROOM} of that rate until held there for {@link #REPROBE_AFTER_MICROS},
 *       never above the
 *       configured bitrate nor above {@link #APP_LIMITED} times the video that drained (an encoder
 *       that makes less than asked, or has not caught up with the last step, tells nothing
 *       about the link); and
 *       while probing at the fast rate, not while the floor over the last half second is more
 *       than {@link #RISING_DELAY_MICROS} above the second before's (a queue building below
 *       the over-use threshold: the last step may already be above the link, and crossing the
 *       threshold takes a second or two, another 5 % each); probing resumes a second after a hold,
 *       and no step is more than one second's worth, however long since the last change.</li>
 * </ul>
 * The bitrate changes at most once a second (a VPx or AV1 encoder reopens for each change).
 * Pure: no I/O, time comes in as an argument. The browser publisher's
 * {@code web-player/src/publish/uplink-bitrate.js} is the same algorithm with the same
 * constants; docs/agent.md ("Adaptive bitrate") documents them once.
 */
public final class UplinkRateEstimator {

    /** The drain rate's averaging window, and the span of each delay floor. */
    static final long WINDOW_MICROS = 1_000_000;
    /** A delay floor above this that keeps growing is over-use. */
    static final long OVERUSE_DELAY_MICROS = 50_000;
    /** A delay floor above this is over-use unless it is falling (a standing queue). */
    static final long STANDING_DELAY_MICROS = 250_000;
    /** The last half second's floor this much above the second before's is a queue building: no probing. */
    static final long RISING_DELAY_MICROS = 10_000;
    /** On over-use, the whole uplink's target is this share of what drained. */
    static final double BACKOFF = 0.9;
    /**
     * One over-use cuts at most to this share of the bitrate: on a busy machine a stalled
     * thread looks like a queue and drains nothing for a while; a real drop takes a few cuts.
     */
    static final double MAX_CUT = 0.7;
    /** Probing up while no over-use has told the link's rate (or it was long exceeded). */
    static final double PROBE_PER_SECOND = 0.05;
    /** Probing up near the rate the last over-use measured. */
    static final double PROBE_NEAR_PER_SECOND = 0.005;
    /** "Near" the measured rate: within this share of it, either way; beyond it above, it is forgotten. */
    static final double NEAR = 0.1;
    /**
     * Probing stops when audio and video reach this share of the remembered rate: a sender that
     * rides at the link's rate has no room for a keyframe's burst, and the delay shows over-use
     * only a few per cent past the link (without the hold, {@code AdaptiveUplinkE2ETest} beside a
     * CPU hog crept at the near rate from 1.33 to 1.48 Mbit/s of video through a 1.5 Mbit/s
     * link, 32 kbit/s of audio, before each cut: medians of 1.44 and once 1.46 from 15 s on).
     */
    static final double HEADROOM = 0.95;
    /**
     * Held at the headroom this long without over-use, the near probe goes on past it (the link
     * may have got better): to an over-use, or 10 % past the remembered rate, where it is forgotten.
     */
    static final long REPROBE_AFTER_MICROS = 5_000_000;
    /**
     * Never above this many times the video that drained over the last second (what drained
     * less audio and framing): an encoder that makes less than asked, or that has not yet caught
     * up with the last step, says nothing about the link. libx264 takes a second or two to
     * reach a raised rate; with WebRTC's 1.5 times the whole drain, the probe ran two steps ahead of
     * it, and the delay showed the link only once the encoder caught up: 1.31 to 1.70 Mbit/s of
     * video through a 1.5 Mbit/s link in 5 s ({@code AdaptiveUplinkE2ETest} in CI, stop 30).
     */
    static final double APP_LIMITED = 1.1;
    /**
     * How long an over-use's measurement of the link counts: the remembered rate is the median
     * of those of this span. A sender starved on a busy machine measures the link low for a
     * moment; believed alone, it kept the bitrate near that low rate, probing at the near rate.
     */
    static final long CAPACITY_MEMORY_MICROS = 5_000_000;
    /** The bitrate changes at most this often. */
    static final long CHANGE_INTERVAL_MICROS = 1_000_000;

    /** What the last sample concluded. */
    public enum Signal { STARTING, NORMAL, OVERUSE, DRAINING, RISING }

    private record Sample(long atMicros, long sentBytes, long delayMicros, long networkDelayMicros, boolean backlogged,
                          RelayReceipt receipt) {}

    private record Measured(long atMicros, double bps) {}

    private final int maxBps;
    private final int floorBps;
    private final int otherBps;
    private final Deque<Sample> samples = new ArrayDeque<>();
    /** The link's rate as the over-uses of the last {@link #CAPACITY_MEMORY_MICROS} measured it (half way when higher). */
    private final Deque<Measured> measured = new ArrayDeque<>();
    private int targetBps;
    private double capacityBps = Double.NaN;
    private long lastChangeMicros = Long.MIN_VALUE / 2;
    /** Since when probing has been held at the headroom below the remembered rate; MIN_VALUE: not held. */
    private long heldAtHeadroomSinceMicros = Long.MIN_VALUE;
    /** The last change or rising-delay hold: a probe waits a full interval after it. */
    private long probeFromMicros = Long.MIN_VALUE / 2;
    private Signal signal = Signal.STARTING;
    private long decreases;
    private long increases;

    /**
     * @param startBps the video bitrate to begin with
     * @param maxBps   the configured video bitrate: never above it
     * @param floorBps never below it
     * @param otherBps what else shares the uplink (audio, framing), taken off the uplink's rate for video
     */
    public UplinkRateEstimator(int startBps, int maxBps, int floorBps, int otherBps) {
        if (maxBps <= 0 || floorBps <= 0 || otherBps < 0) {
            throw new IllegalArgumentException("bitrates must be > 0");
        }
        this.maxBps = maxBps;
        this.floorBps = Math.min(floorBps, maxBps);
        this.otherBps = otherBps;
        this.targetBps = Math.max(this.floorBps, Math.min(maxBps, startBps));
    }

    /**
     * One look at the uplink: {@code sentBytes} written to the socket so far (all tracks),
     * {@code sendQueueDelayMicros} the oldest media's age in the send queue (0: empty), and
     * {@code networkDelayMicros} the queueing beyond the socket (a Ping's round trip above the
     * fastest seen). Returns the video bitrate to use.
     */
    public int onSample(long nowMicros, long sentBytes, long sendQueueDelayMicros, long networkDelayMicros) {
        return onSample(nowMicros, sentBytes, sendQueueDelayMicros, networkDelayMicros, null);
    }

    /**
     * As above, with {@code receipt} what the relay had received at its newest Pong (null when
     * unknown): while media waits in a queue, the link's rate is measured from these rather than
     * from what was written.
     */
    public synchronized int onSample(long nowMicros, long sentBytes, long sendQueueDelayMicros, long networkDelayMicros,
                                     RelayReceipt receipt) {
        long delay = Math.max(0, sendQueueDelayMicros) + Math.max(0, networkDelayMicros);
        // backlogged: media waited longer than a busy machine's scheduling would make it (the socket is full)
        samples.addLast(new Sample(nowMicros, sentBytes, delay, Math.max(0, networkDelayMicros),
                sendQueueDelayMicros > OVERUSE_DELAY_MICROS, receipt));
        while (nowMicros - samples.peekFirst().atMicros() > 2 * WINDOW_MICROS) {
            samples.removeFirst();
        }
        if (nowMicros - samples.peekFirst().atMicros() < 2 * WINDOW_MICROS - WINDOW_MICROS / 4) {
            signal = Signal.STARTING; // not two floors yet
            return targetBps;
        }
        long recentFloor = Long.MAX_VALUE;
        long halfFloor = Long.MAX_VALUE; // over the last half window: it sees a probe's queue a second sooner
        long earlierFloor = Long.MAX_VALUE;
        for (Sample s : samples) {
            if (nowMicros - s.atMicros() <= WINDOW_MICROS) {
                recentFloor = Math.min(recentFloor, s.delayMicros());
                if (nowMicros - s.atMicros() <= WINDOW_MICROS / 2) {
                    halfFloor = Math.min(halfFloor, s.delayMicros());
                }
            } else {
                earlierFloor = Math.min(earlierFloor, s.delayMicros());
            }
        }
        if (recentFloor > OVERUSE_DELAY_MICROS && recentFloor > earlierFloor
                || recentFloor > STANDING_DELAY_MICROS && recentFloor >= earlierFloor) {
            signal = Signal.OVERUSE;
            backOff(nowMicros);
        } else if (recentFloor > OVERUSE_DELAY_MICROS) {
            signal = Signal.DRAINING;
        } else {
            signal = Signal.NORMAL;
            probe(nowMicros, halfFloor > earlierFloor + RISING_DELAY_MICROS);
        }
        return targetBps;
    }

    /** The send queue had to drop video: over-use now, whatever the delay says. Returns the video bitrate to use. */
    public synchronized int onOverflow(long nowMicros) {
        signal = Signal.OVERUSE;
        backOff(nowMicros);
        return targetBps;
    }

    private void backOff(long nowMicros) {
        if (nowMicros - lastChangeMicros < CHANGE_INTERVAL_MICROS) {
            return;
        }
        double drained = linkBps();
        double cut = MAX_CUT;
        if (Double.isNaN(drained)) {
            // Only the delay says so (no relay counts, and a queue beyond the socket or a hiccup): what was
            // written is what the encoder made, not the link's rate; a gentle cut, nothing remembered.
            drained = drainBps(2 * WINDOW_MICROS);
            cut = BACKOFF;
        } else {
            remember(nowMicros, drained);
            drained = Math.min(drained, capacityBps);
        }
        if (Double.isNaN(drained)) {
            set((int) (targetBps * BACKOFF), nowMicros); // nothing measured yet
            decreases++;
            return;
        }
        int lower = (int) Math.min(targetBps, Math.max(cut * targetBps, BACKOFF * drained - otherBps));
        if (lower < targetBps) {
            set(lower, nowMicros);
            decreases++;
        }
    }

    /**
     * A measurement above the remembered rate may be a burst: it counts half way. The remembered
     * rate is the median of the last {@link #CAPACITY_MEMORY_MICROS}'s: one measured low (a real
     * drop, or a starved sender) cuts the bitrate at once, but sets the probe's pace only when
     * it is not alone.
     */
    private void remember(long nowMicros, double drainedBps) {
        double bps = Double.isNaN(capacityBps) || drainedBps < capacityBps ? drainedBps : (capacityBps + drainedBps) / 2;
        measured.addLast(new Measured(nowMicros, bps));
        while (nowMicros - measured.peekFirst().atMicros() > CAPACITY_MEMORY_MICROS) {
            measured.removeFirst();
        }
        double[] sorted = measured.stream().mapToDouble(Measured::bps).sorted().toArray();
        int mid = sorted.length / 2;
        capacityBps = sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private void probe(long nowMicros, boolean delayRising) {
        if (nowMicros - probeFromMicros < CHANGE_INTERVAL_MICROS || targetBps >= maxBps) {
            return;
        }
        double drained = drainBps();
        double total = targetBps + otherBps;
        if (!Double.isNaN(capacityBps) && total > capacityBps * (1 + NEAR)) {
            forgetCapacity(); // well past it without over-use: the link got better
        }
        boolean headroomHeldLongEnough = heldAtHeadroomSinceMicros != Long.MIN_VALUE
                && nowMicros - heldAtHeadroomSinceMicros >= REPROBE_AFTER_MICROS;
        if (!Double.isNaN(capacityBps) && !headroomHeldLongEnough && total >= HEADROOM * capacityBps) {
            if (heldAtHeadroomSinceMicros == Long.MIN_VALUE) {
                heldAtHeadroomSinceMicros = nowMicros;
            }
            probeFromMicros = nowMicros; // the first probe after the hold steps by one second's worth
            return; // room for a keyframe's burst below the link
        }
        boolean near = !Double.isNaN(capacityBps) && total >= capacityBps * (1 - NEAR);
        if (delayRising && !near) {
            signal = Signal.RISING;
            probeFromMicros = nowMicros;
            return;
        }
        // one second's worth at most: a hold or a drain is no reason for a bigger step (GCC's rule too)
        double seconds = Math.min(1.0, (nowMicros - probeFromMicros) / 1e6);
        double next = targetBps * (1 + (near ? PROBE_NEAR_PER_SECOND : PROBE_PER_SECOND) * seconds);
        if (!Double.isNaN(drained)) {
            next = Math.min(next, Math.max(targetBps, APP_LIMITED * (drained - otherBps)));
        }
        if (!Double.isNaN(capacityBps) && !headroomHeldLongEnough) {
            next = Math.min(next, HEADROOM * capacityBps - otherBps);
        }
        int up = (int) Math.min(maxBps, Math.ceil(next));
        if (up > targetBps) {
            set(up, nowMicros);
            increases++;
        }
    }

    private void forgetCapacity() {
        capacityBps = Double.NaN;
        measured.clear();
        heldAtHeadroomSinceMicros = Long.MIN_VALUE;
    }

    private void set(int bps, long nowMicros) {
        if (bps < targetBps) {
            heldAtHeadroomSinceMicros = Long.MIN_VALUE; // an over-use: the hold starts again at the next headroom
        }
        targetBps = Math.max(floorBps, Math.min(maxBps, bps));
        lastChangeMicros = nowMicros;
        probeFromMicros = nowMicros;
    }

    /**
     * What the relay received, by its Pongs' counts and clock, between the receipts of
     * consecutive samples whose media both waited in a queue for more than
     * {@link #OVERUSE_DELAY_MICROS} (the send queue or beyond the socket); NaN with less than
     * {@link #WINDOW_MICROS} / 4 of relay time between such receipts. A queue meant the link
     * was busy: what reached the relay is the link's rate, whatever the sender's buffers took
     * and however late its own threads ran. The first over-use after a sudden drop, with the
     * queue still beyond the socket, then cuts by {@link #MAX_CUT} rather than {@link #BACKOFF}
     * ({@code bench/run uplink}'s 4 to 1.5 Mbit/s dip: 2.5 to 1.75 Mbit/s at once, not to 2.25). (Measured from what
     * was written, a 1.5 Mbit/s link read 1.2 Mbit/s beside a CPU hog: the Pings' round trips
     * that correct it for a filling queue grew with the load too; {@code AdaptiveUplinkE2ETest}
     * then held the video near 1.1 Mbit/s.)
     */
    private double receivedWhileQueuedBps() {
        long bytes = 0;
        long micros = 0;
        Sample previous = null;
        for (Sample s : samples) {
            if (previous != null && previous.delayMicros() > OVERUSE_DELAY_MICROS && s.delayMicros() > OVERUSE_DELAY_MICROS
                    && previous.receipt() != null && s.receipt() != null
                    && s.receipt().atRelayMicros() >= previous.receipt().atRelayMicros()
                    && s.receipt().bytes() >= previous.receipt().bytes()) { // a reconnect's counts start again
                bytes += s.receipt().bytes() - previous.receipt().bytes();
                micros += s.receipt().atRelayMicros() - previous.receipt().atRelayMicros();
            }
            previous = s;
        }
        return micros < WINDOW_MICROS / 4 ? Double.NaN : bytes * 8e6 / micros;
    }

    /** Bits per second written to the socket over the last {@link #WINDOW_MICROS}; NaN with too few samples. */
    public synchronized double drainBps() {
        return drainBps(WINDOW_MICROS);
    }

    /** The link's rate as measured: from the relay's counts, else from what was written; NaN when neither can tell. */
    private double linkBps() {
        double received = receivedWhileQueuedBps();
        return Double.isNaN(received) ? writtenWhileBackloggedBps() : received;
    }

    /**
     * What the link carried by what was written, NaN when the send queue was not backlogged long enough to tell:
     * bits per second written over the last two windows' sampling
     * intervals that began and ended with media waiting in the send queue for more than
     * {@link #OVERUSE_DELAY_MICROS}. The socket was full
     * then, and took only what the link passed on; at other times a socket with room takes a
     * burst (a keyframe) faster than the link. What a queue beyond the socket took meanwhile
     * (a proxy's buffer, the peer's receive window) is not what the link carried: when the
     * queueing beyond the socket grew by {@code g} µs over {@code t} µs of those intervals, the
     * link delivered the written rate divided by {@code 1 + g / t} (at most halved). Without it,
     * the agent measured a 1.5 Mbit/s link at 1.69-1.72 Mbit/s through the bench's proxy while
     * the proxy's queue grew, and probed on above the link (AdaptiveUplinkE2ETest, proof run 3).
     */
    private double writtenWhileBackloggedBps() {
        long bytes = 0;
        long micros = 0;
        long queueGrowthMicros = 0;
        Sample previous = null;
        for (Sample s : samples) {
            if (previous != null && previous.backlogged() && s.backlogged()) {
                bytes += s.sentBytes() - previous.sentBytes();
                micros += s.atMicros() - previous.atMicros();
                queueGrowthMicros += s.networkDelayMicros() - previous.networkDelayMicros();
            }
            previous = s;
        }
        if (micros < WINDOW_MICROS / 4) {
            return Double.NaN;
        }
        double intoQueue = Math.min(1.0, Math.max(0.0, (double) queueGrowthMicros / micros));
        return bytes * 8e6 / micros / (1 + intoQueue);
    }

    /** Bits per second written over the last {@code spanMicros}; NaN with less than half a window of samples. */
    private double drainBps(long spanMicros) {
        Sample last = samples.peekLast();
        if (last == null) {
            return Double.NaN;
        }
        Sample first = null;
        for (Sample s : samples) {
            if (last.atMicros() - s.atMicros() <= spanMicros) {
                first = s;
                break;
            }
        }
        if (last.atMicros() - first.atMicros() < WINDOW_MICROS / 2) {
            return Double.NaN;
        }
        return (last.sentBytes() - first.sentBytes()) * 8e6 / (last.atMicros() - first.atMicros());
    }

    public synchronized int targetBps() {
        return targetBps;
    }

    public synchronized Signal signal() {
        return signal;
    }

    /** The uplink's rate as the last over-use measured it (all tracks), NaN when unknown or outgrown. */
    public synchronized double capacityBps() {
        return capacityBps;
    }

    public synchronized long decreases() {
        return decreases;
    }

    public synchronized long increases() {
        return increases;
    }
}
