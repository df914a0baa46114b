package dev.tunnelcast.bench.codecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.bench.report.Spread;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepReportTest {
    @TempDir
    Path dir;

    private static SweepResults.QualityPoint point(String encoder, int bitrate, double psnr) {
        return new SweepResults.QualityPoint("natural", encoder, "h264", bitrate, bitrate * 1.02, 1.02, psnr, 0.9, 5, 40_000,
                60_000, 300, 300, 100, 10);
    }

    private static SweepResults.Timing timing(String encoder, double fps, double cpu, Double cpuOneThread) {
        Spread one = cpuOneThread == null ? null : Spread.of(cpuOneThread);
        return new SweepResults.Timing("natural", encoder, 2_500_000, Spread.of(fps, fps - 5, fps + 5), new double[] {fps},
                one == null ? null : Spread.of(fps / 2), null, one, null, 4, Spread.of(cpu, cpu - 1, cpu + 1), new double[] {cpu},
                12, new double[] {0.01, 0.02});
    }

    private static ChromiumDecodeCheck.Verdict verdict(boolean mseMp4, int frames) {
        return new ChromiumDecodeCheck.Verdict("avc1.64001F", mseMp4, false, true, 30, frames, null);
    }

    private SweepResults.All results() {
        return new SweepResults.All(
                List.of(point("fast", 1_000_000, 33), point("fast", 2_500_000, 36), point("good", 1_000_000, 35),
                        point("good", 2_500_000, 38), point("best", 1_000_000, 37), point("best", 2_500_000, 40),
                        point("webm-only", 2_500_000, 41)),
                List.of(timing("fast", 300, 15, null), timing("good", 120, 80, 40.0), timing("best", 40, 150, 120.0),
                        timing("webm-only", 200, 20, null)),
                List.of(new SweepResults.Browser("fast", "h264", verdict(true, 30), true),
                        new SweepResults.Browser("good", "h264", verdict(true, 30), true),
                        new SweepResults.Browser("best", "h264", verdict(true, 30), true),
                        new SweepResults.Browser("webm-only", "vp8", verdict(false, 30), true)),
                List.of(new SweepResults.Baseline("natural", Spread.of(2, 3, 4), 6)));
    }

    @Test
    void thePickIsTheBestQualityWithinTheBudgetThatChromiumPlaysBothWays() {
        String headline = new SweepReport(results(), 2_500_000, 30, "1280x720", 10, 3, 4).whatThisShows();
        // "best" is over the budget even with one thread, "webm-only" fails MSE fMP4; "good" fits with -threads 1.
        assertThat(headline).contains("pick **good**").contains("with -threads 1").contains("40 % of a core")
                .contains("Cheapest: fast").contains("Best quality: webm-only")
                .contains("refuses in fMP4 (the player's container): webm-only (`avc1.64001F`)")
                .doesNotContain("WebCodecs did not decode");
    }

    @Test
    void cheaperThreadSettingIsTheCostWhenItKeepsUp() {
        assertThat(SweepReport.cost(timing("good", 120, 80, 40.0), 30).oneThread()).isTrue(); // 60 fps on one thread
        assertThat(SweepReport.cost(timing("good", 120, 30, 40.0), 30).oneThread()).isFalse(); // one thread costs more
        assertThat(SweepReport.cost(timing("good", 50, 80, 40.0), 30).oneThread()).isFalse(); // 25 fps: not real time
        assertThat(SweepReport.cost(timing("fast", 300, 15, null), 30).cpuPercent()).isEqualTo(15);
    }

    @Test
    void markdownHasItsSectionTablesAndPlotLinks() throws Exception {
        SweepReport report = new SweepReport(results(), 2_500_000, 30, "1280x720", 10, 3, 4);
        String md = report.markdown("bench/run codecs", "2 cores", "0.10 0.20 0.30 1/100 1");
        assertThat(md).startsWith("## ").contains("Command: `bench/run codecs`").contains("(quiet)")
                .contains("| good | 120 (115–125) | 80 (79–81) | 12 | 60 | 40 |")
                .contains("](codecs-rate-psnr-natural.png)").contains("](codecs-speed-quality-natural.png)")
                .contains("| webm-only | `avc1.64001F` | no | no | yes | yes 30/30 |");
        report.plots(dir);
        for (String png : List.of("codecs-rate-psnr-natural.png", "codecs-rate-ssim-natural.png", "codecs-speed-quality-natural.png")) {
            assertThat(Files.size(dir.resolve(png))).as(png).isGreaterThan(5_000);
        }
    }
}
