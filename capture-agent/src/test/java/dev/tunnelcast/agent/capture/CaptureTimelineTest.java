package dev.tunnelcast.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CaptureTimelineTest {

    @Test
    void aBurstAtStartIsPlacedOnTheSourceTimeline() {
        CaptureTimeline t = new CaptureTimeline();
        // frames 0..3 (33 ms apart at the source) all arrive at 1.100 s; then on time
        assertThat(t.captureLocalMicros(0, 1_100_000)).isEqualTo(1_100_000);
        assertThat(t.captureLocalMicros(33_000, 1_100_100)).isEqualTo(1_100_100);
        long f4 = t.captureLocalMicros(132_000, 1_132_000); // least delayed so far: defines the anchor
        assertThat(f4).isEqualTo(1_132_000);
        // a frame held up by 40 ms in a slow encode keeps its source spacing
        assertThat(t.captureLocalMicros(165_000, 1_205_000)).isEqualTo(1_165_100);
        assertThat(t.captureLocalMicros(198_000, 1_198_000)).isEqualTo(1_198_000);
    }

    @Test
    void aSourceJumpResyncs() {
        CaptureTimeline t = new CaptureTimeline();
        t.captureLocalMicros(5_000_000, 10_000_000);
        // a file loops: timestamps restart at 0
        assertThat(t.captureLocalMicros(0, 10_040_000)).isEqualTo(10_040_000);
        assertThat(t.captureLocalMicros(40_000, 10_080_000)).isEqualTo(10_080_000);
    }

    @Test
    void neverGoesBackwardsNorPastArrival() {
        CaptureTimeline t = new CaptureTimeline();
        long a = t.captureLocalMicros(100_000, 1_000_000);
        long b = t.captureLocalMicros(100_000, 1_000_050); // a repeated timestamp
        assertThat(b).isGreaterThan(a).isLessThanOrEqualTo(1_000_050);
    }
}
