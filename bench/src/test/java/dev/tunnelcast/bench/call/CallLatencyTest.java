package dev.tunnelcast.bench.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.bench.call.CallLatency.Beeps;
import dev.tunnelcast.bench.call.CallLatency.Stamp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallLatencyTest {

    private static final double LOOP = CallMedia.LOOP_MS;

    @Test
    void aShownStampIsMatchedToTheLatestCaptureOfItBeforeIt() {
        // The camera loops 4 frames: stamp 10 captured at 0 and again at 4000.
        List<Stamp> captured = new ArrayList<>();
        for (int loop = 0; loop < 3; loop++) {
            for (int f = 0; f < 4; f++) {
                captured.add(new Stamp(10 + f, loop * LOOP + f * 1000));
            }
        }
        List<Stamp> shown = List.of(new Stamp(10, 4120), new Stamp(11, 5090), new Stamp(13, 2000 + 1000 + 150), new Stamp(12, 100_000));
        double[] delays = CallLatency.glassToGlass(captured, shown, 0, 10_000, LOOP);
        assertThat(delays).containsExactly(120, 90, 150);
        assertThat(CallLatency.glassToGlass(captured, shown, 5000, 10_000, LOOP)).containsExactly(90);
        // Never captured: no sample.
        assertThat(CallLatency.glassToGlass(captured, List.of(new Stamp(99, 500)), 0, 10_000, LOOP)).isEmpty();
    }

    @Test
    void aHeardBeepIsIdentifiedByTheGapBeforeIt() {
        double[] captured = CallMedia.onsets(4).stream().mapToDouble(o -> 1000.0 + o).toArray();
        // Heard 650 ms later (longer than the shortest gap, 600 ms: the latest capture before would be wrong).
        double[] heard = CallMedia.onsets(4).stream().mapToDouble(o -> 1650.0 + o).toArray();
        Beeps beeps = CallLatency.mouthToEar(captured, heard, 0, 100_000, LOOP);
        assertThat(beeps.heard()).isEqualTo(16);
        assertThat(beeps.unmatched()).as("the first has no gap before it").isEqualTo(1);
        assertThat(beeps.delaysMs()).hasSize(15).containsOnly(650);
    }

    @Test
    void aSpuriousOnsetAndTheOneAfterItAreUnmatchedNotGuessed() {
        double[] captured = CallMedia.onsets(2).stream().mapToDouble(o -> (double) o).toArray(); // 0 600 1500 2600 4000 4600 5500 6600
        double[] heard = {100, 700, 800, 1600, 2700, 4100};
        Beeps beeps = CallLatency.mouthToEar(captured, heard, 0, 100_000, LOOP);
        // 700 (gap 600) matches 600; 800 (gap 100) and 1600 (gap 800: not 900 ± 80) do not; 2700 (gap 1100) and 4100 (gap 1400) do.
        assertThat(beeps.delaysMs()).containsExactly(100, 100, 100);
        assertThat(beeps.unmatched()).isEqualTo(3);
    }

    @Test
    void percentilesAreNearestRank() {
        double[] v = {5, 1, 4, 2, 3};
        assertThat(CallLatency.percentile(v, 0.5)).isEqualTo(3);
        assertThat(CallLatency.percentile(v, 0.95)).isEqualTo(5);
        assertThat(CallLatency.percentile(v, 0)).isEqualTo(1);
        assertThat(CallLatency.percentile(new double[0], 0.5)).isNaN();
    }
}
