package dev.tunnelcast.bench.abr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How fast the capped player's layer followed the dip (4 → 0.8 Mbit/s from 10 s → 4 Mbit/s from 25 s). */
class LayerTimesTest {

    private final AbrScenario dip = AbrScenario.named("dip", 40);

    @Test
    void theDipsScheduleAndItsSteps() {
        assertThat(dip.capAt(9)).isEqualTo(4_000_000);
        assertThat(dip.capAt(10)).isEqualTo(800_000);
        assertThat(dip.capAt(24)).isEqualTo(800_000);
        assertThat(dip.capAt(25)).isEqualTo(4_000_000);
        assertThat(dip.dipStart().fromSecond()).isEqualTo(10);
        assertThat(dip.dipEnd().fromSecond()).isEqualTo(25);
        assertThat(dip.describe()).isEqualTo("4.0 Mbit/s, then 0.8 Mbit/s from 10 s, then 4.0 Mbit/s from 25 s for 40 s");
        assertThat(AbrScenario.named("cap", 12).dipStart()).isNull();
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
        assertThat(LayerTimes.downAfter(AbrScenario.named("cap", 40), layers(40, i -> 360))).isNaN();
    }

    private static List<TabSecond> layers(int n, java.util.function.IntUnaryOperator heightAt) {
        List<TabSecond> seconds = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            int h = heightAt.applyAsInt(i);
            seconds.add(new TabSecond(i, 0, h == 0 ? "" : h + "p", h, 0, 0, 0, 0, 30, 0, 0, 0, 0, 0, "playing", 50));
        }
        return seconds;
    }
}
