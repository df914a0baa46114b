package dev.tunnelcast.agent.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClockOffsetEstimatorTest {

    /** A relay whose clock is {@code offset} ahead of ours, answering after given one-way delays. */
    static long[] exchange(long t0, long offset, long upMicros, long relayHoldMicros, long downMicros) {
        long t1 = t0 + upMicros + offset;
        long t2 = t1 + relayHoldMicros;
        long t3 = t2 - offset + downMicros;
        return new long[] {t0, t1, t2, t3};
    }

    @Test
    void symmetricPathGivesTheExactOffsetAndRtt() {
        ClockOffsetEstimator e = new ClockOffsetEstimator(10_000_000);
        long[] t = exchange(1_000_000, 5_000_000, 2_000, 100, 2_000);
        ClockOffsetEstimator.Sample s = e.onPong(t[0], t[1], t[2], t[3]);
        assertThat(s.rttMicros()).isEqualTo(4_000);
        assertThat(s.offsetMicros()).isEqualTo(5_000_000);
        assertThat(e.toRelayMicros(10)).isEqualTo(5_000_010);
    }

    @Test
    void theSampleWithTheSmallestRttWinsOverQueueingDelayedOnes() {
        ClockOffsetEstimator e = new ClockOffsetEstimator(10_000_000);
        long offset = -250_000;
        long[] congested = exchange(0, offset, 80_000, 0, 1_000); // stuck in a queue on the way up
        long[] clean = exchange(2_000_000, offset, 1_000, 0, 1_000);
        long[] late = exchange(4_000_000, offset, 1_000, 0, 60_000);
        e.onPong(congested[0], congested[1], congested[2], congested[3]);
        assertThat(e.offsetMicros()).isEqualTo(offset + 39_500); // the only sample: biased
        e.onPong(clean[0], clean[1], clean[2], clean[3]);
        e.onPong(late[0], late[1], late[2], late[3]);
        assertThat(e.offsetMicros()).isEqualTo(offset);
        assertThat(e.best().rttMicros()).isEqualTo(2_000);
        assertThat(e.lastRttMicros()).isEqualTo(61_000);
    }

    @Test
    void oldSamplesLeaveTheWindowSoTheEstimateFollowsAChangedPath() {
        ClockOffsetEstimator e = new ClockOffsetEstimator(10_000_000);
        long[] a = exchange(0, 1_000, 500, 0, 500);           // great RTT, offset 1 ms
        e.onPong(a[0], a[1], a[2], a[3]);
        long[] b = exchange(15_000_000, 7_000, 5_000, 0, 5_000); // 15 s later: worse RTT, clock moved
        e.onPong(b[0], b[1], b[2], b[3]);
        assertThat(e.offsetMicros()).isEqualTo(7_000);
    }

    @Test
    void beforeAnyPongThereIsNoEstimateAndNoLocalTimeIsPutOnTheRelayClock() {
        ClockOffsetEstimator e = new ClockOffsetEstimator(1_000_000);
        assertThat(e.hasEstimate()).isFalse();
        assertThat(e.offsetMicros()).as("shown as 0").isZero();
        assertThat(e.lastRttMicros()).isEqualTo(-1);
        assertThatThrownBy(() -> e.toRelayMicros(10)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theEstimateOutlivesItsWindowUntilANewerPongReplacesIt() {
        ClockOffsetEstimator e = new ClockOffsetEstimator(1_000_000);
        long[] t = exchange(0, 7_000_000, 1_000, 0, 1_000);
        e.onPong(t[0], t[1], t[2], t[3]);
        assertThat(e.hasEstimate()).isTrue();
        // no pong for longer than the window (a reconnect): the last estimate still holds
        assertThat(e.toRelayMicros(60_000_000)).isEqualTo(67_000_000);
    }
}
