package dev.tunnelcast.bench.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FanoutReportTest {

    @Test
    void writesTablesHeadlineRatioAndEveryPlot(@TempDir Path dir) throws Exception {
        List<RunResult> runs = List.of(
                CapacityTest.run("tunnelcast", 100, 1, 100, 5), CapacityTest.run("tunnelcast", 500, 1, 100, 20),
                CapacityTest.run("tunnelcast", 1000, 1, 99, 80),
                CapacityTest.run("node-ws", 100, 1, 100, 9), CapacityTest.run("node-ws", 500, 1, 95, 400));
        var samples = List.of(new SlowSubscriberRun.Sample(0, 100L << 20, 0), new SlowSubscriberRun.Sample(12, 101L << 20, 1));
        List<SlowSubscriberRun.Result> slow = List.of(
                new SlowSubscriberRun.Result("tunnelcast", 100, 1, 0.4, 20, 100, 1500, 9000, 100L << 20, 101L << 20, 101L << 20, 0,
                        10L << 20, 12L << 20, 12, samples),
                new SlowSubscriberRun.Result("node-ws", 100, 1, 0.4, 20, 100, 1500, 9000, 50L << 20, 58L << 20, 58L << 20, 0.3 * (1 << 20),
                        -1, -1, -1, samples));

        new FanoutReport(dir, List.of(RelayKind.TUNNELCAST, RelayKind.NODE_WS), List.of(100, 500, 1000), Capacity.ISSUE_6,
                List.of("--players", "100,500,1000"), 0.3, 8, 1).write(runs, slow);

        String md = Files.readString(dir.resolve("fanout.md"));
        assertThat(md).startsWith("## ");
        assertThat(md).contains("bench/run fanout --players 100,500,1000");
        assertThat(md).contains("**Headline:** capacity").contains("tunnelcast 500, node-ws 100, ratio 5.00×");
        assertThat(md).contains("node-ws RSS +8.0 MiB (slope over the stall's second half 0.30 MiB/s), the others' p99 9.0 ms, stalled player kept");
        assertThat(md).contains("tunnelcast RSS +1.0 MiB (slope over the stall's second half 0.00 MiB/s; heap after GC +2.0 MiB), the others' p99 9.0 ms, stalled player closed with 4408 after 12.0 s");
        assertThat(md).contains("| 500 | node-ws | 95.000 | 1.00 | 400.00 |");
        assertThat(md).as("the players' process's CPU beside the relay's").contains("| relay CPU % |")
                .contains("| players CPU % | bench CPU % |");
        assertThat(md).contains("| node-ws | 100.000 | 1.50 | 9.00 | 50 | 58 | 8.0 | 0.30 | — | — |");
        assertThat(md).contains("| tunnelcast | 100.000 | 1.50 | 9.00 | 100 | 101 | 1.0 | 0.00 | 2.0 | 12.0 |");
        for (String plot : List.of("delivered", "p99", "cpu", "rss", "slow-rss")) {
            assertThat(dir.resolve("fanout-" + plot + ".png")).isNotEmptyFile();
            assertThat(md).contains("(fanout-" + plot + ".png)");
        }
        JsonNode json = new ObjectMapper().readTree(dir.resolve("fanout.json").toFile());
        assertThat(json.get("runs")).hasSize(5);
        assertThat(json.get("runs").get(0).get("playersCpuPercentOfCore").asDouble()).isEqualTo(30);
        assertThat(json.get("largestSustainedPlayers").get("tunnelcast").asInt()).isEqualTo(500);
        assertThat(json.get("slowSubscriber").get(1).get("samples")).hasSize(2);
        assertThat(json.get("machine").asText()).contains("cores");
    }
}
