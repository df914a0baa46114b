package dev.tunnelcast.server.relay;

/**
 * When one player should move between the layers of a simulcast track, judged from its queue
 * and the layers' bitrates: no I/O, no lock and no clock of its own (every call says what time
 * it is), so a test drives it with plain numbers. Layers are numbered from 0, the top one,
 * downwards.
 *
 * <ul>
 *   <li>Down when the oldest message queued for the player is older than the down delay: to the
 *   highest layer whose bitrate (with the audio) fits in {@value #HEADROOM_PERCENT} % of the
 *   player's link rate, as its queue's drain shows it ({@link DrainRate}), or one layer down
 *   while that rate is not known. A layer that fits is kept through a backlog of up to
 *   {@value #FITTING_LAYER_DELAY_FACTOR} down delays: a keyframe's burst on a link that carries
 *   the layer drains by itself. (Judged by age alone, a player at 80 % of its link went one
 *   layer further down than it had to at every keyframe burst.)</li>
 *   <li>Only messages queued since the last switch count: the backlog of the layer it left
 *   drains at the link's pace and must not push it further down. That backlog is also in the
 *   socket's kernel buffer, out of the queue's sight. After a switch down, waiting counts only
 *   once every byte of the old layer must have left the kernel: the bytes out of the queue
 *   since the switch (taken for the socket, or dropped) pass what was queued then plus the
 *   kernel buffer. And a delay that is falling is left to drain: down only while it is not
 *   below what it was half a down delay before.</li>
 *   <li>Up one layer once the queue has stayed under the up delay for the probe wait and then
 *   through a <i>padding probe</i>: for the probe length the player is sent filler
 *   ({@link PaddingProbe}) on top of its layer, ramping up over the first half of the probe length
 *   to what the layer above needs with the headroom. A link that carries that keeps the queue short, and the player goes up at the
 *   next keyframe. One that does not shows it in the path's delay, timed by the relay's own
 *   Pings ({@link #roundTrip}): the queuing delay grows past the probe's delay rise; or, for a
 *   player that does not answer Pings, as a backlog in the queue within a fraction of a second
 *   (the kernel buffer is small, below). The probe ends there: the queued filler is dropped and
 *   the player has lost nothing but a little delay. (Probing with the upper layer itself, a slow
 *   link froze the picture for a second on its keyframe alone.) Without the layers' bitrates
 *   to pad by, the probe is the upper layer itself. A probe is not sent at all while the
 *   player's keyframe trains ({@link #trainRate}) measure its link below the probe's rate: it
 *   counts as failed, at no cost.
 *   A probe that fails (its padding backs the path or the queue up, or the player is down again
 *   within the base probe wait) doubles the wait, up to its maximum; an up switch that holds
 *   that long on the highest layer that failed resets it. A link that cannot carry the upper
 *   layer is thus tried less and less often.</li>
 *   <li>The socket's kernel buffer is kept small so that a backlog shows in the queue within a
 *   fraction of a second rather than after the seconds a full kernel buffer holds on a slow
 *   link: a quarter second of the link's rate from a switch down (or a failed probe) until a
 *   probe holds, of the probe's rate during a probe, of the layer's need for a player whose
 *   path the Pings time, and for such a player never under two base round trips of that rate
 *   ({@link #sizeKernelBuffer}).</li>
 *   <li>A pinned player never moves.</li>
 * </ul>
 */
final class LayerPolicy {

    /** The share of the link's measured rate a layer may use. */
    static final int HEADROOM_PERCENT = 90;
    /** How many down delays of backlog a layer that fits the link is kept through. */
    static final int FITTING_LAYER_DELAY_FACTOR = 3;
    /** After a switch down, the socket's kernel buffer holds this much of the link's measured rate. */
    static final long KERNEL_BUFFER_MILLIS = 250;
    static final long MIN_KERNEL_BUFFER_BYTES = 32 * 1024;
    /** How often the relay times the player's path with a Ping; while a padding probe runs, every {@value #PROBE_PING_MILLIS} ms. */
    static final long PING_MILLIS = 1000;
    static final long PROBE_PING_MILLIS = 20;

    private final long downDelayNanos;
    private final long upDelayNanos;
    private final long probeAfterNanos;
    private final long maxProbeAfterNanos;
    private final long probeLengthNanos;
    private final long probeDelayRiseNanos;
    private final int layerCount;
    private final boolean pinned;
    /** What the socket's kernel buffer can hold beyond the queue as configured (0: not known, no hold, not managed). */
    private final long maxKernelBufferBytes;
    /** What it can hold now: smaller while the player is on a layer below the one its link last failed. */
    private long kernelBufferBytes;
    /**
     * The highest layer (lowest number) the link failed to carry since a probe last held at or
     * above it, or -1: the player is below it from a switch down until a probe to it holds.
     */
    private int failedLayer = -1;
    private final LayerBitrates bitrates;
    private final DrainRate drain = new DrainRate();
    private final PaddingProbe probe = new PaddingProbe();
    private final RoundTrips roundTrips = new RoundTrips();
    private final TrainRates trains = new TrainRates();
    /** The last probe due was skipped on the trains' word (no failure seen since): trains that then carry it need only the base wait. */
    private boolean lastProbeSkipped;
    private long lastPingNanos = Long.MIN_VALUE;
    /** During a probe: the path's queuing delay at the last Pong if it was over the rise, else -1. */
    private long risenQueuingNanos = -1;
    /** How the last padding probe ended, until {@link #takeProbeOutcome()} reads it. */
    private ProbeOutcome probeOutcome = ProbeOutcome.NONE;

    /** How a padding probe ended. */
    enum ProbeOutcome {
        NONE,
        /** The link carried the padding for the probe length: up at the next keyframe. */
        CARRIED,
        /** The padding backed the queue up: the player stays. */
        FAILED,
        /** Not sent: the player's keyframe trains measured its link below the probe's rate. */
        SKIPPED
    }

    private int layer;
    private long lastSwitchNanos;
    private boolean lastSwitchWasUp;
    private long shortSinceNanos = -1;
    private long probeWaitNanos;
    /** After a switch down: the bytes out of the queue (taken or dropped) past which the old layer has left the kernel, or -1. */
    private long drainedAtLeftBytes = -1;
    /** When that happened (the new layer's waiting counts from then), or -1. */
    private long drainedAtNanos = -1;
    /** The delay sampled at {@code sampledAtNanos}, and the one sampled before it (-1: none), for the trend. */
    private long sampledAtNanos = Long.MIN_VALUE;
    private long sampledDelayNanos;
    private long previousDelayNanos = -1;

    /**
     * @param bitrates          the stream's layers' bitrates, read at each decision
     * @param kernelBufferBytes what the player's socket's kernel send buffer can hold (0: not known)
     */
    LayerPolicy(LayerSettings settings, int layerCount, int startLayer, boolean pinned, long nowNanos, LayerBitrates bitrates,
                long kernelBufferBytes) {
        this.bitrates = bitrates;
        this.maxKernelBufferBytes = kernelBufferBytes;
        this.kernelBufferBytes = kernelBufferBytes;
        this.downDelayNanos = settings.downDelay().toNanos();
        this.upDelayNanos = settings.upDelay().toNanos();
        this.probeAfterNanos = settings.probeAfter().toNanos();
        this.maxProbeAfterNanos = settings.maxProbeAfter().toNanos();
        this.probeLengthNanos = settings.probeLength().toNanos();
        this.probeDelayRiseNanos = settings.probeDelayRise().toNanos();
        this.layerCount = layerCount;
        this.pinned = pinned;
        this.layer = startLayer;
        this.lastSwitchNanos = nowNanos;
        this.probeWaitNanos = probeAfterNanos;
    }

    /**
     * The layer the player should be on.
     *
     * @param oldestQueuedAtNanos when the oldest message queued for the player arrived, or -1
     *                            when its queue is empty
     * @param leftBytes           the bytes that left the player's queue so far (taken for the socket, or dropped)
     * @param takenBytes          those of them taken for the socket
     */
    int decide(long nowNanos, long oldestQueuedAtNanos, long leftBytes, long takenBytes) {
        if (pinned) {
            return layer;
        }
        long delay = oldestQueuedAtNanos < 0 ? 0 : nowNanos - oldestQueuedAtNanos;
        drain.observe(nowNanos, takenBytes, delay > upDelayNanos);
        if (delay > upDelayNanos && probe.running()) {
            probeFailed();
        }
        if (drainedAtLeftBytes >= 0 && leftBytes >= drainedAtLeftBytes) {
            drainedAtLeftBytes = -1;
            drainedAtNanos = nowNanos;
            forgetTrend(); // what was sampled before was the old layer's
        }
        if (lastSwitchWasUp && nowNanos - lastSwitchNanos >= probeAfterNanos && layer <= failedLayer) {
            // A probe held where the link had failed: it carries that layer again. (One that held
            // lower down keeps the longer wait, or a player would try the failed layer every few
            // seconds by way of the one below it.)
            probeWaitNanos = probeAfterNanos;
            failedLayer = -1;
        }
        sizeKernelBuffer(nowNanos);
        boolean oldLayerGone = drainedAtLeftBytes < 0;
        long newLayerDelay = oldestQueuedAtNanos < 0 ? 0 : nowNanos - Math.max(oldestQueuedAtNanos, drainedAtNanos);
        if (sampledAtNanos == Long.MIN_VALUE || nowNanos - sampledAtNanos >= downDelayNanos / 2) {
            previousDelayNanos = sampledAtNanos == Long.MIN_VALUE ? -1 : sampledDelayNanos;
            sampledDelayNanos = newLayerDelay;
            sampledAtNanos = nowNanos;
        }
        boolean notFalling = previousDelayNanos < 0 || newLayerDelay >= previousDelayNanos;
        if (oldLayerGone && notFalling && newLayerDelay > downDelayNanos && oldestQueuedAtNanos >= lastSwitchNanos
                && layer < layerCount - 1) {
            long linkBitsPerSecond = drain.bitsPerSecond(nowNanos, probeAfterNanos);
            if (linkBitsPerSecond < 0 || bitrates.needBitsPerSecond(layer, nowNanos) == 0) {
                return layer + 1; // nothing to judge by yet
            }
            int fitting = highestFitting(linkBitsPerSecond, nowNanos);
            if (fitting > layer || newLayerDelay > FITTING_LAYER_DELAY_FACTOR * downDelayNanos) {
                return Math.max(layer + 1, fitting);
            }
        }
        if (delay > upDelayNanos) {
            shortSinceNanos = -1;
            return layer;
        }
        if (shortSinceNanos < 0) {
            shortSinceNanos = nowNanos;
        }
        long waited = nowNanos - shortSinceNanos;
        if (layer == 0 || waited < probeAfterNanos) {
            return layer;
        }
        if (probe.running()) {
            return probe.runningNanos(nowNanos) < probeLengthNanos ? layer : layer - 1; // carried: padding goes on until the switch
        }
        if (!lastProbeSkipped && waited < probeWaitNanos) {
            return layer; // the common case, per message: no need or train to read
        }
        long upperNeed = bitrates.needBitsPerSecond(layer - 1, nowNanos);
        long target = upperNeed * 100 / HEADROOM_PERCENT;
        long padding = target - bitrates.needBitsPerSecond(layer, nowNanos);
        long trained = trains.medianBitsPerSecond(nowNanos);
        boolean trainsCarry = target > 0 && trained >= target;
        // Trains that carry the layer above after probes they skipped are news (a cap lifted): the base wait will do.
        if (waited < (lastProbeSkipped && trainsCarry ? probeAfterNanos : probeWaitNanos)) {
            return layer;
        }
        if (upperNeed == 0 || padding <= 0) {
            return layer - 1; // nothing to pad by: the probe is the upper layer itself
        }
        if (trained >= 0 && !trainsCarry && probeWaitNanos < maxProbeAfterNanos) {
            probeSkipped();
            return layer;
        }
        probe.start(nowNanos, padding, target, probeLengthNanos / 2);
        lastProbeSkipped = false;
        risenQueuingNanos = -1;
        sizeKernelBuffer(nowNanos);
        return layer;
    }

    /**
     * The keyframe trains say the link does not carry the layer above: a failed probe without its
     * cost (no padding in the path). Once the wait has reached its maximum a probe goes out
     * anyway, in case the trains understate the link.
     */
    private void probeSkipped() {
        backOff(ProbeOutcome.SKIPPED);
        lastProbeSkipped = true;
    }

    /** The padding backed the path or the queue up: the link does not carry the layer above. */
    private void probeFailed() {
        probe.stop();
        backOff(ProbeOutcome.FAILED);
        lastProbeSkipped = false;
    }

    /** A probe that did not hold: the wait doubles, counted from now, and the layer above is marked as failed. */
    private void backOff(ProbeOutcome outcome) {
        probeOutcome = outcome;
        shortSinceNanos = -1; // a failure the path's delay showed (or a skip) left the queue short
        probeWaitNanos = Math.min(2 * probeWaitNanos, maxProbeAfterNanos);
        failedLayer = failedLayer < 0 ? layer - 1 : Math.min(failedLayer, layer - 1);
    }

    /**
     * From a switch down (or a failed probe) until a probe holds: a quarter second of the link's
     * measured rate, or while it is not measured, of what the player's layer needs (the link
     * carries that much at least: the queue stays short on it). During a probe with no failure
     * known: a quarter second of the probe's rate. For a player whose path the relay's Pings
     * time, otherwise too a quarter second of what its layer needs, and never less than two of
     * its base round trips of that rate (TCP sends at most a buffer per round trip). Otherwise
     * as configured.
     */
    private void sizeKernelBuffer(long nowNanos) {
        if (maxKernelBufferBytes <= 0) {
            return;
        }
        long rate = -1;
        if (failedLayer >= 0) {
            rate = drain.bitsPerSecond(nowNanos, Long.MAX_VALUE);
            if (rate < 0) {
                rate = bitrates.needBitsPerSecond(layer, nowNanos);
            }
        } else if (probe.running()) {
            rate = probe.targetBitsPerSecond();
        } else if (roundTrips.measured()) {
            rate = bitrates.needBitsPerSecond(layer, nowNanos);
        }
        long millis = Math.max(KERNEL_BUFFER_MILLIS, 2 * roundTrips.baseNanos() / 1_000_000);
        long sized = rate > 0
                ? Math.min(maxKernelBufferBytes, Math.max(MIN_KERNEL_BUFFER_BYTES, rate / 8 * millis / 1000))
                : maxKernelBufferBytes;
        if (sized == kernelBufferBytes || (sized != maxKernelBufferBytes && Math.abs(sized - kernelBufferBytes) * 4 <= kernelBufferBytes)) {
            return; // within a quarter: not worth a system call, nor a new measure
        }
        if (sized < kernelBufferBytes) {
            drain.restart();
        }
        kernelBufferBytes = sized;
    }

    /** The highest layer that fits a link of this rate, or the lowest layer if none does. */
    private int highestFitting(long linkBitsPerSecond, long nowNanos) {
        for (int candidate = 0; candidate < layerCount - 1; candidate++) {
            if (fits(candidate, linkBitsPerSecond, nowNanos)) {
                return candidate;
            }
        }
        return layerCount - 1;
    }

    private boolean fits(int candidate, long linkBitsPerSecond, long nowNanos) {
        return bitrates.needBitsPerSecond(candidate, nowNanos) * 100 <= linkBitsPerSecond * HEADROOM_PERCENT;
    }

    /**
     * The player moved to {@code newLayer} (at a keyframe of it).
     *
     * @param leftBytes   the bytes that left the player's queue so far (taken for the socket, or dropped)
     * @param queuedBytes those queued now (the old layer's backlog)
     */
    void switched(int newLayer, long nowNanos, long leftBytes, long queuedBytes) {
        boolean up = newLayer < layer;
        if (probe.running()) {
            probe.stop();
            probeOutcome = up ? ProbeOutcome.CARRIED : ProbeOutcome.FAILED;
        }
        drainedAtLeftBytes = up ? -1 : leftBytes + queuedBytes + kernelBufferBytes;
        if (!up) {
            failedLayer = failedLayer < 0 ? layer : Math.min(failedLayer, layer);
        }
        drainedAtNanos = -1;
        forgetTrend();
        if (!up && lastSwitchWasUp && nowNanos - lastSwitchNanos < probeAfterNanos) {
            probeWaitNanos = Math.min(2 * probeWaitNanos, maxProbeAfterNanos); // the probe failed
        }
        lastProbeSkipped = false;
        layer = newLayer;
        lastSwitchNanos = nowNanos;
        lastSwitchWasUp = up;
        shortSinceNanos = -1;
    }

    private void forgetTrend() {
        sampledAtNanos = Long.MIN_VALUE;
        previousDelayNanos = -1;
    }

    /**
     * Whether to send the player a Ping now, to time its path ({@link RoundTrips}): every
     * {@value #PING_MILLIS} ms, and every {@value #PROBE_PING_MILLIS} ms while a padding probe
     * runs; never to a pinned player.
     */
    boolean pingDue(long nowNanos) {
        long interval = (probe.running() ? PROBE_PING_MILLIS : PING_MILLIS) * 1_000_000;
        if (pinned || (lastPingNanos != Long.MIN_VALUE && nowNanos - lastPingNanos < interval)) {
            return false;
        }
        lastPingNanos = nowNanos;
        return true;
    }

    /** Whether the relay times this player's path with Pings and keyframe trains (it chooses the player's layer). */
    boolean timesPath() {
        return !pinned;
    }

    /** A keyframe train measured the player's link at {@code bitsPerSecond} ({@link PingTimes}). */
    void trainRate(long nowNanos, long bitsPerSecond) {
        trains.sample(nowNanos, bitsPerSecond);
    }

    /**
     * A Pong answered one of the relay's Pings {@code rttNanos} after it went out. During a padding
     * probe, a queuing delay over the probe's delay rise in two Pongs in a row, growing, fails it:
     * the padding fills the path's buffers. (A keyframe's burst also queues, but drains: the
     * delay falls from one Pong to the next.) This shows a link that does not carry the probe
     * while the filler in the path is a fraction of what backs the queue up.
     */
    void roundTrip(long nowNanos, long rttNanos) {
        roundTrips.sample(nowNanos, rttNanos);
        if (!probe.running()) {
            return;
        }
        long queuing = roundTrips.queuingNanos();
        if (queuing <= probeDelayRiseNanos) {
            risenQueuingNanos = -1;
        } else if (risenQueuingNanos >= 0 && queuing > risenQueuingNanos) {
            probeFailed();
        } else {
            risenQueuingNanos = queuing;
        }
    }

    /**
     * What the player's socket's kernel send buffer should hold, in bytes (Linux's doubled
     * figure), as {@link #sizeKernelBuffer} last sized it. A full kernel buffer is backlog the
     * queue does not see: 256 KiB is two seconds at 1 Mbit/s, which a failed probe first fills
     * and the player then waits through.
     */
    long kernelBufferBytes() {
        return kernelBufferBytes;
    }

    /**
     * How many chunks of padding of {@code chunkBytes} to queue now: some while a padding probe
     * runs, else 0.
     */
    int paddingChunks(long nowNanos, int chunkBytes) {
        return probe.takeChunks(nowNanos, chunkBytes);
    }

    /** Whether a padding probe runs: padding queued while none runs is to be dropped. */
    boolean probing() {
        return probe.running();
    }

    /** How the last padding probe ended since the last call ({@link ProbeOutcome#NONE}: none ended). */
    ProbeOutcome takeProbeOutcome() {
        ProbeOutcome outcome = probeOutcome;
        probeOutcome = ProbeOutcome.NONE;
        return outcome;
    }

    /** How long the queue must stay short before the next probe up. */
    long probeWaitNanos() {
        return probeWaitNanos;
    }

    /** What the last decisions were based on, for a log line: the link's rate and each layer's need, in kbit/s. */
    String explain(long nowNanos) {
        StringBuilder needs = new StringBuilder();
        for (int candidate = 0; candidate < layerCount; candidate++) {
            needs.append(candidate == 0 ? "" : "/").append(bitrates.needBitsPerSecond(candidate, nowNanos) / 1000);
        }
        long link = drain.bitsPerSecond(nowNanos, probeAfterNanos);
        long trained = trains.medianBitsPerSecond(nowNanos);
        String path = (roundTrips.measured()
                ? ", round trip " + roundTrips.baseNanos() / 1_000_000 + " ms + " + roundTrips.queuingNanos() / 1_000_000 + " ms queuing"
                : "") + (trained < 0 ? "" : ", keyframe trains (median) " + trained / 1000 + " kbit/s");
        return "link " + (link < 0 ? "not measured" : link / 1000 + " kbit/s") + ", layers need " + needs + " kbit/s" + path;
    }
}
