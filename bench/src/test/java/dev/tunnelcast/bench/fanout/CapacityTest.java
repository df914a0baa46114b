package dev.tunnelcast.bench.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CapacityTest {

    static RunResult run(String relay, int players, int repeat, double delivered, double p99Millis) {
        return new RunResult(relay, players, 0, repeat, 0.5, 10, 1000, delivered, 1000, 2000,
                (long) (p99Millis * 1000), 90_000, -1, -1, -1, -1, 50, 10, 30, -1, -1, 100L << 20, -1, "{}", -1, -1, -1);
    }

    @Test
    void spreadLeavesOutFiguresARelayCannotGive() {
        var s = FanoutReport.spread(List.of(3.0, 1.0, -1.0, 2.0), Double::doubleValue);
        assertThat(s.median()).isEqualTo(2);
        assertThat(s.runs()).isEqualTo(3);
        assertThat(FanoutReport.spread(List.of(-1.0), Double::doubleValue).runs()).isZero();
    }

    @Test
    void sustainsJudgesTheMediansNotTheBestRun() {
        Capacity bar = Capacity.ISSUE_6;
        assertThat(bar.sustains(List.of(run("a", 100, 1, 100, 10), run("a", 100, 2, 99.95, 49), run("a", 100, 3, 90, 200))))
                .isTrue();
        assertThat(bar.sustains(List.of(run("a", 100, 1, 100, 10), run("a", 100, 2, 99.5, 20), run("a", 100, 3, 99.8, 20))))
                .as("median delivered 99.8 %").isFalse();
        assertThat(bar.sustains(List.of(run("a", 100, 1, 100, 51), run("a", 100, 2, 100, 60), run("a", 100, 3, 100, 10))))
                .as("median p99 51 ms").isFalse();
        assertThat(bar.sustains(List.of())).isFalse();
    }

    @Test
    void runsWhosePlayersCouldNotConnectCountAsCollapsed() {
        RunResult refused = RunResult.notConnected("node", 1500, 0, 2, 1.5);
        assertThat(Capacity.ISSUE_6.sustains(List.of(run("node", 1500, 1, 100, 20), refused,
                RunResult.notConnected("node", 1500, 0, 3, 1.5)))).as("median delivered 0 %").isFalse();
        assertThat(FanoutReport.spread(List.of(refused), r -> r.latencyP99Micros() / 1000.0).runs())
                .as("no latency was measured").isZero();
    }

    @Test
    void largestSustainedIsPerRelay() {
        List<RunResult> runs = List.of(
                run("ours", 100, 1, 100, 5), run("ours", 500, 1, 100, 20), run("ours", 1000, 1, 100, 60),
                run("node", 100, 1, 100, 8), run("node", 500, 1, 97, 300));
        assertThat(Capacity.ISSUE_6.largestSustained(runs, "ours")).hasValue(500);
        assertThat(Capacity.ISSUE_6.largestSustained(runs, "node")).hasValue(100);
        assertThat(Capacity.ISSUE_6.largestSustained(runs, "other")).isEmpty();
    }

    @Test
    void rssSlopeIsFittedOverTheSecondHalfOfTheStall() {
        var samples = new java.util.ArrayList<SlowSubscriberRun.Sample>();
        for (int i = 0; i <= 20; i++) {
            double t = i;
            long rss = (50L << 20) + (i < 10 ? 0 : (long) ((t - 10) * 300_000)); // flat, then 300 kB/s
            samples.add(new SlowSubscriberRun.Sample(t, rss, 0));
        }
        assertThat(SlowSubscriberRun.slopeLastHalf(samples)).isCloseTo(300_000, org.assertj.core.data.Offset.offset(1.0));
        assertThat(SlowSubscriberRun.slopeLastHalf(samples.subList(0, 10))).isZero();
    }

    @Test
    void slowClosesReadsOnlyThe4408Counter() {
        String metrics = """
                tunnelcast_refusals_total{code="4400",name="bad_message"} 7.0
                tunnelcast_refusals_total{code="4408",name="slow_consumer"} 2.0
                tunnelcast_drops_total{stream="bench"} 9.0
                """;
        assertThat(SlowSubscriberRun.slowCloses(metrics)).isEqualTo(2.0);
        assertThat(SlowSubscriberRun.slowCloses("")).isZero();
    }
}
