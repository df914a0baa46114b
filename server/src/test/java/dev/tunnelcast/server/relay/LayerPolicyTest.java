package dev.tunnelcast.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The layer decision alone, on a fake clock: down on a growing queue, probes up after a short one, backs off. */
class LayerPolicyTest {

    private static final LayerSettings SETTINGS = new LayerSettings(Duration.ofMillis(500), Duration.ofMillis(100),
            Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(1), Duration.ofMillis(50));
    private static final long EMPTY = -1;

    private long now = TimeUnit.SECONDS.toNanos(100);

    private void advanceMillis(long millis) {
        long end = now + TimeUnit.MILLISECONDS.toNanos(millis);
        if (bitrates != null) {
            for (long t = fedUntil + STEP_NANOS; t <= end; t += STEP_NANOS) {
                feed(t);
            }
        }
        now = end;
    }

    /** The stream's layers as measured coming in (threeLayers()), fed as the clock advances; null: none. */
    private LayerBitrates bitrates;
    private long fedUntil;
    private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long[] LAYER_BITS_PER_SECOND = {2_500_000, 700_000, 200_000};

    private void feed(long t) {
        for (int layer = 0; layer < 3; layer++) {
            bitrates.add(layer, (int) (LAYER_BITS_PER_SECOND[layer] / 80), t);
        }
        bitrates.add(RelayedMessage.NO_LAYER, 100_000 / 80, t);
        fedUntil = t;
    }

    /** The oldest queued message arrived this long ago. */
    private long queuedFor(long millis) {
        return now - TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void movesDownOneLayerWhenTheQueueIsOlderThanTheDownDelay() {
        LayerPolicy policy = new LayerPolicy(SETTINGS, 3, 0, false, now, new LayerBitrates(), 0);
        advanceMillis(1000);
        assertThat(policy.decide(now, queuedFor(400), 0, 0)).isZero();
        assertThat(policy.decide(now, queuedFor(501), 0, 0)).isEqualTo(1);
        policy.switched(1, now, 0, 0);
        // The backlog of the layer it left is older than the switch: it does not push it further down.
        advanceMillis(300);
        assertThat(policy.decide(now, queuedFor(900), 0, 0)).isEqualTo(1);
        // A backlog of the new layer does.
        advanceMillis(600);
        assertThat(policy.decide(now, queuedFor(550), 0, 0)).isEqualTo(2);
        policy.switched(2, now, 0, 0);
        advanceMillis(1000);
        assertThat(policy.decide(now, queuedFor(900), 0, 0)).as("no layer below the last").isEqualTo(2);
    }

    @Test
    void afterASwitchDownTheNewLayerWaitsOnlyFromWhenTheOldOneLeftTheKernelBuffer() {
        // 256 KB of kernel buffer; 100 KB of the old layer queued at the switch, 1,000 KB taken before it.
        LayerPolicy policy = new LayerPolicy(SETTINGS, 3, 0, false, now, new LayerBitrates(), 256_000);
        advanceMillis(1000);
        assertThat(policy.decide(now, queuedFor(600), 1_000_000, 0)).isEqualTo(1);
        policy.switched(1, now, 1_000_000, 100_000);
        // The new layer's first messages wait behind the old layer's bytes, in the queue and then in the kernel.
        advanceMillis(1500);
        assertThat(policy.decide(now, queuedFor(900), 1_300_000, 0)).as("the old layer still in the kernel buffer").isEqualTo(1);
        advanceMillis(100);
        assertThat(policy.decide(now, queuedFor(1000), 1_356_000, 0)).as("the old layer gone: waiting counts from now").isEqualTo(1);
        advanceMillis(400);
        assertThat(policy.decide(now, queuedFor(1400), 1_400_000, 0)).as("400 ms since").isEqualTo(1);
        advanceMillis(101);
        assertThat(policy.decide(now, queuedFor(1501), 1_410_000, 0)).as("the new layer's own backlog: 501 ms").isEqualTo(2);
    }

    @Test
    void aBacklogThatIsFallingIsLeftToDrain() {
        LayerPolicy policy = new LayerPolicy(SETTINGS, 3, 0, false, now, new LayerBitrates(), 0);
        advanceMillis(2000);
        assertThat(policy.decide(now, queuedFor(900), 0, 0)).as("the first look: no trend yet").isEqualTo(1);
        advanceMillis(300);
        assertThat(policy.decide(now, queuedFor(800), 0, 0)).as("900 -> 800 ms: falling").isZero();
        advanceMillis(300);
        assertThat(policy.decide(now, queuedFor(700), 0, 0)).as("800 -> 700 ms: falling").isZero();
        advanceMillis(300);
        assertThat(policy.decide(now, queuedFor(750), 0, 0)).as("700 -> 750 ms: growing again").isEqualTo(1);
    }

    @Test
    void probesUpOnlyAfterTheQueueStayedShortForTheProbeWait() {
        LayerPolicy policy = new LayerPolicy(SETTINGS, 3, 2, false, now, new LayerBitrates(), 0);
        for (int i = 0; i < 49; i++) {
            assertThat(policy.decide(now, queuedFor(50), 0, 0)).isEqualTo(2);
            advanceMillis(100);
        }
        // One long queue restarts the wait.
        assertThat(policy.decide(now, queuedFor(150), 0, 0)).isEqualTo(2);
        advanceMillis(100);
        assertThat(policy.decide(now, EMPTY, 0, 0)).isEqualTo(2);
        advanceMillis(4999);
        assertThat(policy.decide(now, EMPTY, 0, 0)).isEqualTo(2);
        advanceMillis(1);
        assertThat(policy.decide(now, EMPTY, 0, 0)).isEqualTo(1);
    }

    @Test
    void aFailedProbeDoublesTheWaitUpToItsMaximumAndAProbeThatHoldsResetsIt() {
        LayerPolicy policy = new LayerPolicy(SETTINGS, 2, 1, false, now, new LayerBitrates(), 0);
        long wait = TimeUnit.SECONDS.toNanos(5);
        for (long expected : new long[] {10, 20, 20}) {
            policy.decide(now, EMPTY, 0, 0);
            now += wait;
            assertThat(policy.decide(now, EMPTY, 0, 0)).isZero();
            policy.switched(0, now, 0, 0);
            advanceMillis(1000);
            assertThat(policy.decide(now, queuedFor(600), 0, 0)).isEqualTo(1);
            policy.switched(1, now, 0, 0);
            assertThat(policy.probeWaitNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(expected));
            wait = policy.probeWaitNanos();
        }
        policy.decide(now, EMPTY, 0, 0);
        now += wait;
        assertThat(policy.decide(now, EMPTY, 0, 0)).isZero();
        policy.switched(0, now, 0, 0);
        advanceMillis(5000);
        assertThat(policy.decide(now, EMPTY, 0, 0)).isZero();
        assertThat(policy.probeWaitNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void aPinnedPlayerNeverMoves() {
        LayerPolicy policy = new LayerPolicy(SETTINGS, 3, 1, true, now, new LayerBitrates(), 0);
        advanceMillis(10_000);
        assertThat(policy.decide(now, queuedFor(1900), 0, 0)).isEqualTo(1);
        advanceMillis(10_000);
        assertThat(policy.decide(now, EMPTY, 0, 0)).isEqualTo(1);
    }

    /**
     * A stream's layer bitrates as measured coming in, 8 s of them so far and fed on as the clock
     * advances: 2.5 Mbit/s, 700 and 200 kbit/s, and 100 kbit/s of audio.
     */
    private LayerBitrates threeLayers() {
        bitrates = new LayerBitrates();
        for (long t = now - TimeUnit.SECONDS.toNanos(8); t <= now; t += STEP_NANOS) {
            feed(t);
        }
        return bitrates;
    }

    /**
     * Decides every 50 ms while the queue is backlogged and drains at {@code linkBitsPerSecond}, the
     * oldest message {@code fromMillis} old at first and growing to {@code toMillis}; returns the last decision.
     */
    private int backlogged(LayerPolicy policy, long linkBitsPerSecond, long fromMillis, long toMillis) {
        int decision = -1;
        for (long age = fromMillis; age <= toMillis; age += 50) {
            taken += linkBitsPerSecond / 8 / 20;
            decision = policy.decide(now, queuedFor(age), taken, taken);
            advanceMillis(50);
        }
        return decision;
    }

    private long taken;

    @Test
    void aLayerThatFitsTheLinkIsKeptThroughABacklogOfUpToThreeDownDelays() {
        // 360p needs 0.8 Mbit/s with the audio: 80 % of a 1 Mbit/s link, under the 90 % it may use.
        LayerPolicy policy = new LayerPolicy(SETTINGS, 3, 1, false, now, threeLayers(), 0);
        advanceMillis(1000);
        assertThat(backlogged(policy, 1_000_000, 150, 1450)).as("a keyframe's burst on a link that carries the layer").isEqualTo(1);
        assertThat(backlogged(policy, 1_000_000, 1500, 1550)).as("past three down delays").isEqualTo(2);
    }

    @Test
    void downGoesStraightToTheHighestLayerTheMeasuredLinkCarries() {
        LayerPolicy policy = new LayerPolicy(SETTINGS, 3, 0, false, now, threeLayers(), 0);
        advanceMillis(1000);
        assertThat(backlogged(policy, 1_000_000, 150, 450)).isZero();
        assertThat(backlogged(policy, 1_000_000, 500, 550)).as("2.6 Mbit/s does not fit 1 Mbit/s; 0.8 does").isEqualTo(1);

        LayerPolicy slower = new LayerPolicy(SETTINGS, 3, 0, false, now, threeLayers(), 0);
        advanceMillis(1000);
        assertThat(backlogged(slower, 500_000, 150, 550)).as("0.8 Mbit/s does not fit 0.5 either: 180p").isEqualTo(2);
    }

    @Test
    void withoutAMeasuredLinkRateItMovesOneLayerAtATime() {
        LayerPolicy policy = new LayerPolicy(SETTINGS, 3, 0, false, now, threeLayers(), 0);
        advanceMillis(1000);
        assertThat(policy.decide(now, queuedFor(501), 0, 0)).as("the first look at a backlog: no rate yet").isEqualTo(1);
    }

    @Test
    void afterASwitchDownTheKernelBufferHoldsAQuarterSecondOfTheLinkUntilAProbeHolds() {
        LayerPolicy policy = new LayerPolicy(SETTINGS, 3, 0, false, now, threeLayers(), 256 * 1024);
        advanceMillis(1000);
        assertThat(policy.kernelBufferBytes()).as("as configured").isEqualTo(256 * 1024);
        assertThat(backlogged(policy, 4_000_000, 150, 550)).as("2.6 Mbit/s fits 4: kept through the burst").isZero();
        assertThat(backlogged(policy, 2_000_000, 600, 1600)).isEqualTo(1);
        policy.switched(1, now, taken, 0);
        policy.decide(now, EMPTY, taken, taken);
        assertThat(policy.kernelBufferBytes()).as("a quarter second at about 2-4 Mbit/s").isBetween(62_500L, 125_000L);
        assertThat(shortFor(policy, 6000)).as("5 s of a short queue, then a probe that the link carries for 1 s").isZero();
        policy.switched(0, now, taken, 0);
        assertThat(policy.kernelBufferBytes()).as("through the probe").isBetween(62_500L, 125_000L);
        advanceMillis(5000);
        policy.decide(now, EMPTY, taken, taken);
        assertThat(policy.kernelBufferBytes()).as("the probe held").isEqualTo(256 * 1024);
    }

    /** Decides every 100 ms for {@code millis} with the queue empty; returns the last decision. */
    private int shortFor(LayerPolicy policy, long millis) {
        return shortWithTrains(policy, millis, -1);
    }

    @Test
    void aPaddingProbeRaisesWhatThePlayerGetsToTheUpperLayersRateAndGoesUpOnceTheLinkCarriedIt() {
        LayerPolicy policy = new LayerPolicy(SETTINGS, 3, 1, false, now, threeLayers(), 0);
        assertThat(shortFor(policy, 4900)).as("the probe wait").isEqualTo(1);
        assertThat(policy.probing()).isFalse();
        assertThat(policy.paddingChunks(now, 4096)).isZero();
        advanceMillis(100);
        assertThat(policy.decide(now, EMPTY, 0, 0)).as("the probe starts: still on 360p").isEqualTo(1);
        assertThat(policy.probing()).isTrue();
        long padded = 0;
        long paddedInFirst100Ms = 0;
        for (int i = 1; i <= 40; i++) { // a simulcast message every 25 ms
            advanceMillis(25);
            assertThat(policy.decide(now, EMPTY, 0, 0)).as("%d ms into the probe", i * 25).isEqualTo(i < 40 ? 1 : 0);
            padded += policy.paddingChunks(now, 1000) * 1000L;
            paddedInFirst100Ms = i == 4 ? padded : paddedInFirst100Ms;
        }
        // 540p with the audio needs 2.6 Mbit/s, 2.89 with the headroom; 360p gets 0.8: 2.09 Mbit/s of padding, 261 KB/s
        // at full rate, reached at half the probe length: 65 KB over the ramp and 131 KB after it.
        assertThat(padded).as("padding bytes over the probe's second").isBetween(190_000L, 205_000L);
        assertThat(paddedInFirst100Ms).as("the ramp's first 100 ms: a fifth of the rate at most").isLessThanOrEqualTo(6_000L);
        assertThat(policy.takeProbeOutcome()).isEqualTo(LayerPolicy.ProbeOutcome.NONE);
        policy.switched(0, now, 0, 0);
        assertThat(policy.takeProbeOutcome()).isEqualTo(LayerPolicy.ProbeOutcome.CARRIED);
        assertThat(policy.probing()).isFalse();
        assertThat(policy.paddingChunks(now + 1_000_000_000L, 1000)).as("no padding once up").isZero();
    }

    @Test
    void aPaddingProbeThatBacksTheQueueUpFailsAtOnceAndDoublesTheWait() {
        LayerPolicy policy = new LayerPolicy(SETTINGS, 3, 1, false, now, threeLayers(), 256 * 1024);
        shortFor(policy, 5000);
        assertThat(policy.probing()).isTrue();
        assertThat(policy.kernelBufferBytes()).as("a quarter second of the probe's 2.89 Mbit/s")
                .isBetween(85_000L, 95_000L);
        advanceMillis(300);
        assertThat(policy.decide(now, queuedFor(101), 0, 0)).as("the padding backs the queue up: stays").isEqualTo(1);
        assertThat(policy.probing()).isFalse();
        assertThat(policy.takeProbeOutcome()).isEqualTo(LayerPolicy.ProbeOutcome.FAILED);
        assertThat(policy.takeProbeOutcome()).as("read once").isEqualTo(LayerPolicy.ProbeOutcome.NONE);
        assertThat(policy.probeWaitNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(10));
        assertThat(shortFor(policy, 9000)).as("no probe within the doubled wait").isEqualTo(1);
        assertThat(policy.probing()).isFalse();
        assertThat(shortFor(policy, 1100)).as("the next probe runs").isEqualTo(1);
        assertThat(policy.probing()).isTrue();
    }

    @Test
    void aProbeThatHoldsBelowTheLayerThatFailedKeepsTheLongerWait() {
        LayerPolicy policy = new LayerPolicy(SETTINGS, 3, 1, false, now, new LayerBitrates(), 0);
        policy.decide(now, EMPTY, 0, 0);
        now += TimeUnit.SECONDS.toNanos(5);
        assertThat(policy.decide(now, EMPTY, 0, 0)).as("a probe to layer 0").isZero();
        policy.switched(0, now, 0, 0);
        advanceMillis(1000);
        policy.switched(1, now, 0, 0); // failed: 10 s before the next
        advanceMillis(1000);
        policy.switched(2, now, 0, 0); // and on down, draining its backlog
        assertThat(policy.probeWaitNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(10));
        policy.decide(now, EMPTY, 0, 0);
        now += TimeUnit.SECONDS.toNanos(10);
        assertThat(policy.decide(now, EMPTY, 0, 0)).isEqualTo(1);
        policy.switched(1, now, 0, 0);
        policy.decide(now, EMPTY, 0, 0);
        advanceMillis(6000);
        policy.decide(now, EMPTY, 0, 0);
        assertThat(policy.probeWaitNanos()).as("layer 1 held, but layer 0 is the one that failed").isEqualTo(TimeUnit.SECONDS.toNanos(10));
        advanceMillis(4000);
        assertThat(policy.decide(now, EMPTY, 0, 0)).as("10 s of a short queue on layer 1").isZero();
        policy.switched(0, now, 0, 0);
        advanceMillis(5000);
        policy.decide(now, EMPTY, 0, 0);
        assertThat(policy.probeWaitNanos()).as("layer 0 held").isEqualTo(TimeUnit.SECONDS.toNanos(5));
    }

    private static long millis(long ms) {
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }

    /** A player on 360p whose Pongs came back in 10 ms each second of the probe wait; returns it with its probe started. */
    private LayerPolicy probingWithTimedPath() {
        LayerPolicy policy = new LayerPolicy(SETTINGS, 3, 1, false, now, threeLayers(), 256 * 1024);
        for (int second = 0; second < 5; second++) {
            policy.decide(now, EMPTY, 0, 0);
            policy.roundTrip(now, millis(10));
            advanceMillis(1000);
        }
        policy.decide(now, EMPTY, 0, 0);
        assertThat(policy.probing()).isTrue();
        return policy;
    }

    @Test
    void aProbeFailsWhenThePathsQueuingDelayGrowsPastTheRiseTwiceInARow() {
        LayerPolicy policy = probingWithTimedPath();
        advanceMillis(50);
        policy.roundTrip(now, millis(55));
        assertThat(policy.probing()).as("45 ms of queuing: under the 50 ms rise").isTrue();
        advanceMillis(50);
        policy.roundTrip(now, millis(90));
        assertThat(policy.probing()).as("80 ms once").isTrue();
        advanceMillis(50);
        policy.roundTrip(now, millis(140));
        assertThat(policy.probing()).as("130 ms: over the rise again, and growing").isFalse();
        assertThat(policy.takeProbeOutcome()).isEqualTo(LayerPolicy.ProbeOutcome.FAILED);
        assertThat(policy.probeWaitNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(10));
        assertThat(policy.decide(now, EMPTY, 0, 0)).as("the queue itself never backed up: stays").isEqualTo(1);
        assertThat(shortFor(policy, 9800)).as("the doubled wait counts from the failure").isEqualTo(1);
        assertThat(policy.probing()).isFalse();
        shortFor(policy, 300);
        assertThat(policy.probing()).as("10 s after it, the next probe").isTrue();
    }

    @Test
    void aBurstThatDrainsDoesNotFailTheProbe() {
        LayerPolicy policy = probingWithTimedPath();
        for (long rtt : new long[] {130, 90, 70, 40, 80, 20}) { // a keyframe queues, then drains; again
            advanceMillis(50);
            policy.roundTrip(now, millis(rtt));
            assertThat(policy.probing()).as("round trip %d ms", rtt).isTrue();
        }
        advanceMillis(800);
        assertThat(policy.decide(now, EMPTY, 0, 0)).as("carried for the probe length: up").isZero();
    }

    @Test
    void pingsEverySecondAndEvery20MillisecondsDuringAProbeButNeverForAPinnedPlayer() {
        LayerPolicy policy = new LayerPolicy(SETTINGS, 3, 1, false, now, threeLayers(), 0);
        assertThat(policy.pingDue(now)).isTrue();
        advanceMillis(900);
        assertThat(policy.pingDue(now)).isFalse();
        advanceMillis(100);
        assertThat(policy.pingDue(now)).isTrue();
        shortFor(policy, 5000);
        assertThat(policy.probing()).isTrue();
        int pings = 0;
        for (int i = 0; i < 20; i++) {
            advanceMillis(25);
            pings += policy.pingDue(now) ? 1 : 0;
        }
        assertThat(pings).as("in 500 ms of a probe, at a message every 25 ms").isEqualTo(20);
        LayerPolicy pinned = new LayerPolicy(SETTINGS, 3, 1, true, now, threeLayers(), 0);
        assertThat(pinned.pingDue(now)).isFalse();
    }

    @Test
    void aPlayerWhosePathIsTimedGetsAKernelBufferOfAQuarterSecondOfItsLayerOrTwoRoundTripsOfIt() {
        LayerPolicy policy = new LayerPolicy(SETTINGS, 3, 0, false, now, threeLayers(), 256 * 1024);
        policy.decide(now, EMPTY, 0, 0);
        assertThat(policy.kernelBufferBytes()).as("no Pong yet: as configured").isEqualTo(256 * 1024);
        policy.roundTrip(now, millis(20));
        advanceMillis(100);
        policy.decide(now, EMPTY, 0, 0);
        // 540p with the audio: 2.6 Mbit/s, 81 KB a quarter second.
        assertThat(policy.kernelBufferBytes()).as("a quarter second of 540p").isBetween(78_000L, 84_000L);
        LayerPolicy far = new LayerPolicy(SETTINGS, 3, 0, false, now, threeLayers(), 256 * 1024);
        far.roundTrip(now, millis(200));
        far.decide(now, EMPTY, 0, 0);
        assertThat(far.kernelBufferBytes()).as("two round trips of 200 ms of 540p").isBetween(125_000L, 135_000L);
    }

    @Test
    void aProbeIsSkippedWhileKeyframeTrainsMeasureTheLinkBelowItsRateUntilTheWaitIsAtItsMaximum() {
        LayerPolicy policy = new LayerPolicy(SETTINGS, 3, 1, false, now, threeLayers(), 0);
        policy.trainRate(now, 1_000_000);
        policy.trainRate(now, 40_000_000);
        policy.trainRate(now, 1_500_000);
        shortFor(policy, 5000);
        assertThat(policy.probing()).as("1.5 Mbit/s measured (the median of three), 2.89 needed: no padding").isFalse();
        assertThat(policy.takeProbeOutcome()).isEqualTo(LayerPolicy.ProbeOutcome.SKIPPED);
        assertThat(policy.probeWaitNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(10));
        policy.trainRate(now, 1_100_000);
        policy.trainRate(now, 1_100_000);
        shortFor(policy, 10_000);
        assertThat(policy.probeWaitNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(20));
        shortFor(policy, 19_000);
        assertThat(policy.probing()).isFalse();
        policy.trainRate(now, 900_000);
        policy.trainRate(now, 900_000);
        shortFor(policy, 1_100);
        assertThat(policy.probeWaitNanos()).as("at its maximum").isEqualTo(TimeUnit.SECONDS.toNanos(20));
        assertThat(policy.probing()).as("at the maximum wait a probe goes out all the same").isTrue();

        LayerPolicy fast = new LayerPolicy(SETTINGS, 3, 1, false, now, threeLayers(), 0);
        fast.trainRate(now, 1_000_000);
        fast.trainRate(now, 1_000_000);
        advanceMillis(11_000);
        fast.trainRate(now, 4_000_000);
        fast.trainRate(now, 3_500_000);
        shortFor(fast, 5000);
        assertThat(fast.probing()).as("the trains of the last 10 s carry 2.89 Mbit/s").isTrue();
        LayerPolicy once = new LayerPolicy(SETTINGS, 3, 1, false, now, threeLayers(), 0);
        once.trainRate(now, 1_000_000);
        shortFor(once, 5000);
        assertThat(once.probing()).as("one train alone is no measure").isTrue();
    }

    /** As {@link #shortFor}, with a keyframe train of {@code bitsPerSecond} every 2 s (none if negative). */
    private int shortWithTrains(LayerPolicy policy, long millis, long bitsPerSecond) {
        int decision = -1;
        for (long t = 0; t <= millis; t += 100) {
            if (bitsPerSecond >= 0 && t % 2000 == 0) {
                policy.trainRate(now, bitsPerSecond);
            }
            decision = policy.decide(now, EMPTY, taken, taken);
            advanceMillis(100);
        }
        return decision;
    }

    @Test
    void afterSkippedProbesTrainsThatCarryTheLayerAboveNeedOnlyTheBaseWait() {
        LayerPolicy policy = new LayerPolicy(SETTINGS, 3, 1, false, now, threeLayers(), 0);
        shortWithTrains(policy, 15_200, 1_000_000);
        assertThat(policy.takeProbeOutcome()).isEqualTo(LayerPolicy.ProbeOutcome.SKIPPED);
        assertThat(policy.probeWaitNanos()).as("two skipped, at 5 and 15 s").isEqualTo(TimeUnit.SECONDS.toNanos(20));
        assertThat(policy.probing()).isFalse();
        shortWithTrains(policy, 3900, 4_000_000);
        assertThat(policy.probing()).as("the trains carry it (two of the last three), but 4 s since the last skip").isFalse();
        shortWithTrains(policy, 1100, 4_000_000);
        assertThat(policy.probing()).as("5 s since it: the base wait, not the doubled one").isTrue();

        LayerPolicy failed = new LayerPolicy(SETTINGS, 3, 1, false, now, threeLayers(), 0);
        shortFor(failed, 5000);
        assertThat(failed.probing()).isTrue();
        advanceMillis(100);
        failed.decide(now, queuedFor(150), 0, 0); // the padding backed the queue up: a real failure
        shortWithTrains(failed, 6000, 4_000_000);
        assertThat(failed.probing()).as("after a failure the doubled wait holds, whatever the trains say").isFalse();
    }
}
