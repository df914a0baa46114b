package dev.tunnelcast.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The layer decision alone, on a fake clock: down on a growing queue, probes up after a short one, backs off. */
class LayerPolicyTest {

    private static final LayerSettings SETTINGS = new LayerSettings(Duration.ofMillis(500), Duration.ofMillis(100),
            Duration.ofSeconds(5), Duration.ofSeconds(20));
    private static final long EMPTY = -1;

    private long now = TimeUnit.SECONDS.toNanos(100);

    private void advanceMillis(long millis) {
        now += TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** The oldest queued message arrived this long ago. */
    private long queuedFor(long millis) {
        return now - TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void movesDownOneLayerWhenTheQueueIsOlderThanTheDownDelay() {
        LayerPolicy policy = new LayerPolicy(SETTINGS, 3, 0, false, now, 0);
        advanceMillis(1000);
        assertThat(policy.decide(now, queuedFor(400), 0)).isZero();
        assertThat(policy.decide(now, queuedFor(501), 0)).isEqualTo(1);
        policy.switched(1, now, 0, 0);
        // The backlog of the layer it left is older than the switch: it does not push it further down.
        advanceMillis(300);
        assertThat(policy.decide(now, queuedFor(900), 0)).isEqualTo(1);
        // A backlog of the new layer does.
        advanceMillis(600);
        assertThat(policy.decide(now, queuedFor(550), 0)).isEqualTo(2);
        policy.switched(2, now, 0, 0);
        advanceMillis(1000);
        assertThat(policy.decide(now, queuedFor(900), 0)).as("no layer below the last").isEqualTo(2);
    }

    @Test
    void afterASwitchDownTheNewLayerWaitsOnlyFromWhenTheOldOneLeftTheKernelBuffer() {
        // 256 KB of kernel buffer; 100 KB of the old layer queued at the switch, 1,000 KB taken before it.
        LayerPolicy policy = new LayerPolicy(SETTINGS, 3, 0, false, now, 256_000);
        advanceMillis(1000);
        assertThat(policy.decide(now, queuedFor(600), 1_000_000)).isEqualTo(1);
        policy.switched(1, now, 1_000_000, 100_000);
        // The new layer's first messages wait behind the old layer's bytes, in the queue and then in the kernel.
        advanceMillis(1500);
        assertThat(policy.decide(now, queuedFor(900), 1_300_000)).as("the old layer still in the kernel buffer").isEqualTo(1);
        advanceMillis(100);
        assertThat(policy.decide(now, queuedFor(1000), 1_356_000)).as("the old layer gone: waiting counts from now").isEqualTo(1);
        advanceMillis(400);
        assertThat(policy.decide(now, queuedFor(1400), 1_400_000)).as("400 ms since").isEqualTo(1);
        advanceMillis(101);
        assertThat(policy.decide(now, queuedFor(1501), 1_410_000)).as("the new layer's own backlog: 501 ms").isEqualTo(2);
    }

    @Test
    void aBacklogThatIsFallingIsLeftToDrain() {
        LayerPolicy policy = new LayerPolicy(SETTINGS, 3, 0, false, now, 0);
        advanceMillis(2000);
        assertThat(policy.decide(now, queuedFor(900), 0)).as("the first look: no trend yet").isEqualTo(1);
        advanceMillis(300);
        assertThat(policy.decide(now, queuedFor(800), 0)).as("900 -> 800 ms: falling").isZero();
        advanceMillis(300);
        assertThat(policy.decide(now, queuedFor(700), 0)).as("800 -> 700 ms: falling").isZero();
        advanceMillis(300);
        assertThat(policy.decide(now, queuedFor(750), 0)).as("700 -> 750 ms: growing again").isEqualTo(1);
    }

    @Test
    void probesUpOnlyAfterTheQueueStayedShortForTheProbeWait() {
        LayerPolicy policy = new LayerPolicy(SETTINGS, 3, 2, false, now, 0);
        for (int i = 0; i < 49; i++) {
            assertThat(policy.decide(now, queuedFor(50), 0)).isEqualTo(2);
            advanceMillis(100);
        }
        // One long queue restarts the wait.
        assertThat(policy.decide(now, queuedFor(150), 0)).isEqualTo(2);
        advanceMillis(100);
        assertThat(policy.decide(now, EMPTY, 0)).isEqualTo(2);
        advanceMillis(4999);
        assertThat(policy.decide(now, EMPTY, 0)).isEqualTo(2);
        advanceMillis(1);
        assertThat(policy.decide(now, EMPTY, 0)).isEqualTo(1);
    }

    @Test
    void aFailedProbeDoublesTheWaitUpToItsMaximumAndAProbeThatHoldsResetsIt() {
        LayerPolicy policy = new LayerPolicy(SETTINGS, 2, 1, false, now, 0);
        long wait = TimeUnit.SECONDS.toNanos(5);
        for (long expected : new long[] {10, 20, 20}) {
            policy.decide(now, EMPTY, 0);
            now += wait;
            assertThat(policy.decide(now, EMPTY, 0)).isZero();
            policy.switched(0, now, 0, 0);
            advanceMillis(1000);
            assertThat(policy.decide(now, queuedFor(600), 0)).isEqualTo(1);
            policy.switched(1, now, 0, 0);
            assertThat(policy.probeWaitNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(expected));
            wait = policy.probeWaitNanos();
        }
        policy.decide(now, EMPTY, 0);
        now += wait;
        assertThat(policy.decide(now, EMPTY, 0)).isZero();
        policy.switched(0, now, 0, 0);
        advanceMillis(5000);
        assertThat(policy.decide(now, EMPTY, 0)).isZero();
        assertThat(policy.probeWaitNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void aPinnedPlayerNeverMoves() {
        LayerPolicy policy = new LayerPolicy(SETTINGS, 3, 1, true, now, 0);
        advanceMillis(10_000);
        assertThat(policy.decide(now, queuedFor(1900), 0)).isEqualTo(1);
        advanceMillis(10_000);
        assertThat(policy.decide(now, EMPTY, 0)).isEqualTo(1);
    }
}
