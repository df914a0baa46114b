package dev.tunnelcast.bench.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.bench.impair.CapSchedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UplinkReportTest {

    @Test
    void tablesMediansOverRepeatsAndDrawsBothPlots(@TempDir Path dir) throws Exception {
        CapSchedule cap = CapSchedule.named("cap", 3, UplinkBench.CAP_BITS_PER_SECOND, UplinkBench.CAP_BITS_PER_SECOND);
        List<UplinkRun> runs = List.of(run(false, 1, 90, 1200), run(false, 2, 110, 1400), run(false, 3, 100, 1300),
                run(true, 1, 30, 300), run(true, 2, 40, 200), run(true, 3, 20, 250));
        new UplinkReport(List.of(cap), runs, 2_500_000).write(dir, "bench/run uplink", "test machine", "0.1");
        String md = Files.readString(dir.resolve("uplink.md"));
        assertThat(md).startsWith("## ").contains("bench/run uplink")
                .contains("| cap | off | 1150 | 100 (90–110) | 1300 (1200–1400) |")
                .contains("| cap | on | 1150 | 30 (20–40) | 250 (200–300) |")
                .contains("- `cap`: fixed bitrate: 100 video frames dropped, latency p50 1300")
                .contains("`--adaptive`: 30 dropped, p50 250")
                .contains("**Headline:** 2.5 Mbit/s of video through an uplink capped at 1.5 Mbit/s for 3 s: at a fixed bitrate "
                        + "the subscriber sees p50 1300 ms (100 frames dropped to keyframes); with `--adaptive` p50 250 ms");
        assertThat(dir.resolve("uplink-cap-bitrate.png")).isNotEmptyFile();
        assertThat(dir.resolve("uplink-cap-drops.png")).isNotEmptyFile();
    }

    private static UplinkRun run(boolean adaptive, int repeat, long dropped, double latencyP50) {
        List<UplinkSecond> seconds = new ArrayList<>();
        for (int t = 1; t <= 3; t++) {
            seconds.add(new UplinkSecond(t, 1500, 1400, adaptive ? 1750 : 2500, dropped / 3, 100, 5, 1150, latencyP50, latencyP50 * 1.3,
                    30));
        }
        return new UplinkRun("cap", adaptive, repeat, 1150, dropped, latencyP50, latencyP50 * 1.2, latencyP50 * 1.3,
                latencyP50, latencyP50 * 1.1, adaptive ? 1225 : 2500, adaptive ? 1348 : 2500, 0.1, "0.1", seconds);
    }

    @Test
    void perSecondMediansOverRuns() {
        CapSchedule s = CapSchedule.named("cap", 2, 1_500_000, 1_500_000);
        List<UplinkRun> runs = List.of(run(10, 20), run(30, 40), run(20, Double.NaN));
        double[] latency = UplinkReport.perSecond(runs, s, UplinkSecond::latencyP50Ms);
        assertThat(latency).containsExactly(20, 30);
    }

    private static UplinkRun run(double latencySecond1, double latencySecond2) {
        return new UplinkRun("cap", false, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "", List.of(
                new UplinkSecond(1, 1500, 0, 0, 0, 0, 0, 0, latencySecond1, 0, 0),
                new UplinkSecond(2, 1500, 0, 0, 0, 0, 0, 0, latencySecond2, 0, 0)));
    }
}
