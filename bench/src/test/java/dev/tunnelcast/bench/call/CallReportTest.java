package dev.tunnelcast.bench.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallReportTest {
    @TempDir
    Path dir;

    @Test
    void quotesTheMedianOverDirectionsThenRunsAndJudgesTheGoal() throws Exception {
        // Two runs of two participants at 640x360: per run the median of the two directions, then of the runs.
        Files.writeString(dir.resolve("call.json"), """
                {"command":"bench/run call --seconds 5","machine":{"description":"2 cores","loadAverageAtStart":"0.5",
                 "loadAverageAtEnd":"0.7"},"measuredSecondsPerRun":5,"repeats":2,
                 "configurations":[{"participants":2,"size":"640x360","fps":30,"runs":[%s,%s]}]}
                """.formatted(run(120, 300, direction("ann", "bob", 80, 120, 100), direction("bob", "ann", 100, 140, 110)),
                run(200, 500, direction("ann", "bob", 90, 160, 130), direction("bob", "ann", 110, 180, 150))));

        Path md = CallReport.write(dir);

        String text = Files.readString(md);
        assertThat(text).startsWith("## ").contains("`bench/run call --seconds 5`")
                // g2g p50: runs 90 and 100 → 95 (90–100); p95: 130, 170 → 150; m2e p50: 105, 140 → 123.
                .contains("| 2 | 640x360 | 2 | 95 (90–100) | 150 (130–170) | 123 (105–140) |")
                .contains("| 640x360 | ann → bob | 85 (80–90) | 140 (120–160) | 115 (100–130) |")
                .contains("**Headline:** two participants at 640x360: glass-to-glass p50 95 ms, p95 150 ms (goal 100/150),"
                        + " mouth-to-ear p50 123 ms (goal 120): **goal not met**.")
                // the leave and join seen: pooled over the runs' other pages
                .contains("| 2 | 640x360 | 160 (max 200) | 400 (max 500) |");
        assertThat(dir.resolve("call-latency.png")).isNotEmptyFile();
    }

    @Test
    void theGoalIsAllThreeBounds() {
        assertThat(CallReport.goalMet(100, 150, 120)).isTrue();
        assertThat(CallReport.goalMet(101, 150, 120)).isFalse();
        assertThat(CallReport.goalMet(100, 151, 120)).isFalse();
        assertThat(CallReport.goalMet(100, 150, 121)).isFalse();
    }

    private static String run(double leaveSeenMs, double joinSeenMs, String... directions) {
        return """
                {"measuredSeconds":5,"otherProcessesCores":0.1,"directions":[%s],
                 "presence":{"participant":"bob","leaveSeenMs":[%s],"joinSeenMs":[%s]},
                 "pages":[{"participant":"ann","rendererCores":0.5,"browserCores":0.7},
                          {"participant":"bob","rendererCores":0.6,"browserCores":0.8}]}
                """.formatted(String.join(",", directions), leaveSeenMs, joinSeenMs);
    }

    private static String direction(String from, String to, double g2gP50, double g2gP95, double m2eP50) {
        return """
                {"from":"%s","to":"%s","glassToGlassMs":{"samples":100,"p50":%s,"p95":%s},
                 "mouthToEarMs":{"samples":4,"heard":5,"p50":%s,"p95":%s},"avOffsetMs":%s,"playerAvOffsetMs":5,
                 "framesShownPerSecond":30,"video":{"captureToEncodedMs":10},"audio":{"jitterBufferMs":40,"concealedPercent":0}}
                """.formatted(from, to, g2gP50, g2gP95, m2eP50, m2eP50 + 20, g2gP50 - m2eP50);
    }
}
