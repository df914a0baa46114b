package dev.tunnelcast.bench.abr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 19's goal, judged on the median of the cap scenario's runs of one mode. */
class AbrGoalTest {

    @Test
    void metWhenTheMediansAreWithinBothBounds() {
        List<AbrRun> runs = List.of(run("cap", "simulcast", 0.4, 60), run("cap", "simulcast", 3.0, 250),
                run("cap", "simulcast", 0.9, 90), run("dip", "simulcast", 20, 900));
        AbrGoal.Verdict v = AbrGoal.judge(runs, "simulcast");
        assertThat(v.met()).isTrue();
        assertThat(v.stalledPercent().median()).isEqualTo(0.9);
        assertThat(v.words()).startsWith("met (stalled 0.9 (0.4–3.0) % of the time, latency +90 (60–250) ms");
    }

    @Test
    void eachPartMissedIsALine() {
        AbrGoal.Verdict v = AbrGoal.judge(List.of(run("cap", "single", 40, 3000)), "single");
        assertThat(v.met()).isFalse();
        assertThat(v.missed()).hasSize(2);
        assertThat(v.missed().get(0)).contains("stalled 40.0 % of the time (1 run").contains("goal ≤ 1 %");
        assertThat(v.missed().get(1)).contains("+3000 ms").contains("goal within 100 ms");
        assertThat(v.words()).startsWith("missed");
    }

    @Test
    void aCappedPlayerFarAheadOfTheOpenOneIsNotWithinEither() {
        assertThat(AbrGoal.judge(List.of(run("cap", "simulcast", 0, -150)), "simulcast").met()).isFalse();
    }

    @Test
    void aMissingMeasurementIsNeverMet() {
        AbrGoal.Verdict none = AbrGoal.judge(List.of(run("dip", "simulcast", 0, 0)), "simulcast");
        assertThat(none.met()).isFalse();
        assertThat(none.missed()).containsExactly("simulcast: the cap scenario was not measured");
        assertThat(none.words()).isEqualTo("not measured");
        AbrGoal.Verdict nan = AbrGoal.judge(List.of(run("cap", "simulcast", 0, Double.NaN)), "simulcast");
        assertThat(nan.met()).as("no latency samples: not within 100 ms").isFalse();
    }

    private static AbrRun run(String scenario, String mode, double stalledPercent, double gapMs) {
        TabFigures capped = new TabFigures(800, stalledPercent, 0, 100 + gapMs, 200, 100, 0, 0, 0, 0, 30, Map.of(), 0);
        TabFigures open = new TabFigures(2600, 0, 0, 100, 150, 100, 0, 0, 0, 0, 30, Map.of(), 0);
        return new AbrRun(scenario, mode, 1, capped, open, gapMs, 0, Double.NaN, Double.NaN, null, 0, "", List.of());
    }
}
