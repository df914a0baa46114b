package dev.tunnelcast.bench.abr;

import dev.tunnelcast.bench.impair.CapSchedule;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the capped player did in the dip (4 → 0.8 Mbit/s from 10 s → 4 Mbit/s from 25 s): its layer's timing, its figures. */
class LayerTimesTest {

    private final CapSchedule dip = scenario("dip", 40);

    @Test
    void theDipsScheduleAndItsSteps() {
        assertThat(dip.capAt(9)).isEqualTo(4_000_000);
        assertThat(dip.capAt(10)).isEqualTo(800_000);
        assertThat(dip.capAt(24)).isEqualTo(800_000);
        assertThat(dip.capAt(25)).isEqualTo(4_000_000);
        assertThat(dip.dipStart().fromSecond()).isEqualTo(10);
        assertThat(dip.dipEnd().fromSecond()).isEqualTo(25);
        assertThat(dip.describe()).isEqualTo("4.0 Mbit/s, then 0.8 Mbit/s from 10 s, then 4.0 Mbit/s from 25 s for 40 s");
        assertThat(scenario("cap", 12).dipStart()).isNull();
    }

    @Test
    void downAndBackUpAreCountedFromTheSteps() {
        // 540p through second 12 (it ends at 12 s), 180p from 13 to 31, 540p from 32
        List<TabSecond> seconds = layers(40, i -> i <= 12 ? 540 : i <= 31 ? 180 : 540);
        assertThat(LayerTimes.downAfter(dip, seconds)).isEqualTo(3);
        assertThat(LayerTimes.backUpAfter(dip, seconds)).isEqualTo(7);
    }

    @Test
    void neverBackWithinTheRunOrNoLayersIsNaN() {
        assertThat(LayerTimes.backUpAfter(dip, layers(40, i -> i <= 12 ? 540 : 360))).isNaN();
        assertThat(LayerTimes.downAfter(dip, layers(40, i -> 0))).isNaN();
        assertThat(LayerTimes.downAfter(scenario("cap", 40), layers(40, i -> 360))).isNaN();
    }

    @Test
    void theDipsOwnFiguresTakeOnlyItsSeconds() {
        List<TabSecond> seconds = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            boolean in = i > 10 && i <= 25;
            seconds.add(new TabSecond(i, 0, "540p", 540, in ? 200 : i == 40 ? 400 : 0, 0, in ? 1000 + i : 60, 30, 30, 0, 0, 0, 0,
                    0, "playing", 50));
        }
        DipFigures dip = DipFigures.of(this.dip, seconds);
        assertThat(dip.inStalledPercent()).isEqualTo(20);
        assertThat(dip.inLatencyP50Ms()).isEqualTo(1018); // 1011..1025
        assertThat(dip.afterStalledPercent()).isEqualTo(400 / 15.0 / 10);
        assertThat(dip.afterLatencyP50Ms()).isEqualTo(60);
        assertThat(DipFigures.of(scenario("cap", 40), seconds).inStalledPercent()).isNaN();
    }

    @Test
    void aLatencyLineHoldsItsLastValueThroughSecondsWithoutFrames() {
        assertThat(AbrPlots.held(new double[] {Double.NaN, 50, Double.NaN, Double.NaN, 70}))
                .containsExactly(0, 50, 50, 50, 70);
    }

    private static List<TabSecond> layers(int n, java.util.function.IntUnaryOperator heightAt) {
        List<TabSecond> seconds = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            int h = heightAt.applyAsInt(i);
            seconds.add(new TabSecond(i, 0, h == 0 ? "" : h + "p", h, 0, 0, 0, 0, 30, 0, 0, 0, 0, 0, "playing", 50));
        }
        return seconds;
    }

    private static CapSchedule scenario(String name, int seconds) {
        return CapSchedule.named(name, seconds, AbrBench.CAP_BITS_PER_SECOND, AbrBench.DIP_BITS_PER_SECOND);
    }
}
