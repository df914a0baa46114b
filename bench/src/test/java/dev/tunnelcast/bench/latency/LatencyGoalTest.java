package dev.tunnelcast.bench.latency;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyGoalTest {

    @Test
    void theReadmeTableListsExactlyTheGoalsThatAreChecked() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int heading = lines.indexOf("## Latency goals");
        assertThat(heading).as("bench/README.md has a '## Latency goals' section").isNotNegative();
        List<String> rows = lines.stream().skip(heading).dropWhile(l -> !l.startsWith("|---")).skip(1)
                .takeWhile(l -> l.startsWith("|")).toList();
        assertThat(rows).containsExactlyElementsOf(Arrays.stream(LatencyGoal.values()).map(LatencyGoal::readmeRow).toList());
    }

    @Test
    void everyGoalMetOnTheMedianOfRunsGivesNoLine() throws Exception {
        // One run misses the latency goal; the median of three does not.
        assertThat(LatencyGoal.missed(results(run(40, 70, 0.2), run(90, 140, 3), run(45, 80, 0)))).isEmpty();
    }

    @Test
    void aMissedGoalGivesOneClearLinePerGoalAndPath() throws Exception {
        List<String> missed = LatencyGoal.missed(results(run(70, 120, 0.5), run(75, 130, 2.5), run(65, 100, 1.5)));
        assertThat(missed).containsExactly(
                "mse: pixel latency p50 is 70 ms (median of 3 runs: 70.0 (65.0–75.0)), goal ≤ 60 ms",
                "mse: pixel latency p95 is 120 ms (median of 3 runs: 120.0 (100.0–130.0)), goal ≤ 90 ms",
                "mse: audio concealed is 1.5 % (median of 3 runs: 1.5 (0.5–2.5)), goal ≤ 1 %");
    }

    @Test
    void aFigureThatWasNotMeasuredMissesItsGoal() throws Exception {
        List<String> missed = LatencyGoal.missed(new ObjectMapper().readTree("""
                {"paths":[{"path":"webcodecs","runs":[{"latencyPixelMs":{"p50":30,"p95":50}}]}]}"""));
        assertThat(missed).contains("webcodecs: frames shown is not measured, goal ≥ 27 per second")
                .noneMatch(line -> line.contains("pixel latency"));
    }

    @Test
    void anotherEnginesPathIsNamedAfterItAndOneItCouldNotPlaySaysWhy() throws Exception {
        List<String> missed = LatencyGoal.missed(new ObjectMapper().readTree("{\"paths\":["
                + "{\"browser\":\"firefox\",\"path\":\"mse\",\"runs\":[" + run(70, 80, 0) + "]},"
                + "{\"browser\":\"webkit\",\"path\":\"mse\",\"notMeasured\":\"no frame within 60 s\",\"runs\":[]}]}"));
        assertThat(missed).containsExactly(
                "firefox mse: pixel latency p50 is 70 ms (1 run), goal ≤ 60 ms",
                "webkit mse: not measured: no frame within 60 s");
    }

    private static com.fasterxml.jackson.databind.JsonNode results(String... runs) throws Exception {
        return new ObjectMapper().readTree("{\"paths\":[{\"path\":\"mse\",\"runs\":[" + String.join(",", runs) + "]}]}");
    }

    private static String run(double p50, double p95, double concealedPercent) {
        return """
                {"latencyPixelMs":{"p50":%s,"p95":%s},"avOffsetMs":{"p05":-20,"p50":0,"p95":20},
                 "audioConcealedPercent":%s,"framesShownPerSecond":29.5,"framesDroppedPercent":1}
                """.formatted(p50, p95, concealedPercent);
    }
}
