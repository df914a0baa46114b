package dev.tunnelcast.bench.latency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencyReportTest {
    @TempDir
    Path dir;

    @Test
    void quotesMediansWithRangeAndJudgesTheGoal() throws Exception {
        Files.writeString(dir.resolve("latency.json"), """
                {"command":"bench/run latency --seconds 5","machine":{"description":"2 cores","loadAverage":"0.5"},
                 "source":{"size":"1280x720","fps":30,"videoBitrateBps":2500000,"audio":"Opus"},
                 "measuredSecondsPerRun":5,"repeats":3,
                 "paths":[
                  {"path":"mse","runs":[%s,%s,%s]},
                  {"path":"webcodecs","runs":[%s,%s,%s]}]}
                """.formatted(run(100, 150), run(90, 140), run(120, 190), run(70, 100), run(75, 110), run(72, 105)));

        Path md = LatencyReport.write(dir);

        String text = Files.readString(md);
        assertThat(text).startsWith("## ").contains("bench/run latency --seconds 5")
                .contains("| mse | 100 (90–120) | 150 (140–190) |")
                .contains("| webcodecs | 72 (70–75) | 105 (100–110) |")
                .contains("- mse: pixel p50 100 ms, p95 150 ms: goal **not met**.")
                .contains("- webcodecs: pixel p50 72 ms, p95 105 ms: goal **not met**.")
                .contains("- Goals missed (`--check` fails):\n  - mse: pixel latency p50 is 100 ms")
                .contains("**Headline:** capture → display by pixels, p50/p95: mse 100/150 ms, webcodecs 72/105 ms");
        assertThat(dir.resolve("latency-percentiles.png")).isNotEmptyFile();
    }

    private static String run(double p50, double p95) {
        return """
                {"latencyPixelMs":{"p05":%1$s,"p50":%1$s,"p95":%2$s,"p99":%2$s},"latencyMetadataMs":{"p50":%1$s},
                 "avOffsetMs":{"p50":-5},"audioConcealedPercent":0.5,"framesDropped":1,"videoBufferMs":40,
                 "jitterBufferTargetMs":30,"otherProcessesCores":0.1}
                """.formatted(p50, p95);
    }
}
