package dev.tunnelcast.bench.jitter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JitterReportTest {

    @Test
    void tablesMediansAndNamesTheTradeOff(@TempDir Path dir) throws Exception {
        List<CellRun> runs = List.of(
                run("stall", "20-60", 1, 80, 9.0), run("stall", "20-60", 2, 90, 11.0),
                run("stall", "150-400", 1, 260, 6.0), run("stall", "150-400", 2, 240, 4.0));
        JitterReport report = new JitterReport(List.of("stall"), List.of("20-60", "150-400"), runs, List.of());
        report.write(dir, "bench/run jitter", "test machine", "0.1 0.1 0.1");
        String md = Files.readString(dir.resolve("jitter.md"));
        assertThat(md).startsWith("## ").contains("| stall | 20-60 | 85 (80–90) |").contains("| 10.00 (9.00–11.00) |")
                .contains("**Headline:** jitter buffer `20-60`, audio concealed / pixel latency p50 by network: stall 10.0 % / 85 ms.")
                .contains("bench/run jitter").contains("![latency vs concealment](jitter-tradeoff.png)");
        assertThat(md).contains("- `stall`: lowest latency with `20-60` (p50 85 ms, 10.00 % concealed")
                .contains("least concealment with `150-400` (5.00 % at p50 250 ms, +165 ms)");
        assertThat(dir.resolve("jitter-tradeoff.png")).isNotEmptyFile();
        assertThat(dir.resolve("jitter-stalls.png")).isNotEmptyFile();
    }

    @Test
    void settingsBecomeThePlayersQuery() {
        assertThat(JitterBench.latencyQuery("default")).isEmpty();
        assertThat(JitterBench.latencyQuery("20-60")).isEqualTo("latency=20-60");
        assertThatThrownBy(() -> JitterBench.latencyQuery("fast")).hasMessageContaining("floor-ceiling");
        assertThatThrownBy(() -> NetworkProfiles.named("lte")).hasMessageContaining("known: clean");
    }

    private static CellRun run(String profile, String setting, int repeat, double p50, double concealed) {
        return new CellRun(profile, setting, repeat, 8, p50, p50 + 50, 240, concealed, 1, 1, 900, 900, 5, p50 - 40, p50 - 40,
                10, 230, 0, 30, 200, 0.1, "0.1");
    }
}
