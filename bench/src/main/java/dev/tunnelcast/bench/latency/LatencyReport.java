package dev.tunnelcast.bench.latency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunnelcast.bench.report.Plot;
import dev.tunnelcast.bench.report.Spread;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** Turns {@code latency.json} into the report's latency section and its plot. */
public final class LatencyReport {
    private static final double GOAL_P50_MS = LatencyGoal.PIXEL_P50.limit;
    private static final double GOAL_P95_MS = LatencyGoal.PIXEL_P95.limit;
    private static final double[] PERCENTILES = {5, 50, 95, 99};
    private static final List<String> PERCENTILE_KEYS = List.of("p05", "p50", "p95", "p99");

    private LatencyReport() {}

    /** Writes {@code latency.md} and {@code latency-percentiles.png} next to {@code latency.json}. */
    public static Path write(Path results) throws IOException {
        JsonNode root = new ObjectMapper().readTree(results.resolve("latency.json").toFile());
        Plot plot = Plot.lines("Capture → display latency by pixels (median of runs; bars: half the range)",
                "percentile", "ms").yFromZero();
        StringBuilder table = new StringBuilder("""
                | path | pixel p50 | pixel p95 | pixel p99 | metadata p50 | A/V offset p50 | audio concealed % | frames dropped | video buffer ms | jitter target ms | other processes, cores |
                |---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|
                """);
        StringBuilder stages = new StringBuilder("""
                | path, run | capture → encoded | encoded → relay | relay → player | arrival → shown | of which decode | of which held for the audio clock | audio jitter buffer depth | metadata p50 | pixel p50 |
                |---|--:|--:|--:|--:|--:|--:|--:|--:|--:|
                """);
        StringBuilder verdict = new StringBuilder();
        List<String> headline = new java.util.ArrayList<>();
        for (JsonNode path : root.path("paths")) {
            List<JsonNode> runs = StreamSupport.stream(path.path("runs").spliterator(), false).toList();
            String name = LatencyGoal.label(path);
            if (path.has("notMeasured")) {
                table.append("| ").append(name).append(" | not measured: ").append(path.path("notMeasured").asText())
                        .append(" |||||||||| \n");
                headline.add(name + " not measured");
                continue;
            }
            Spread p50 = spread(runs, r -> r.path("latencyPixelMs").path("p50").asDouble(Double.NaN));
            Spread p95 = spread(runs, r -> r.path("latencyPixelMs").path("p95").asDouble(Double.NaN));
            table.append("| ").append(name)
                    .append(" | ").append(p50.format(0))
                    .append(" | ").append(p95.format(0))
                    .append(" | ").append(spread(runs, r -> r.path("latencyPixelMs").path("p99").asDouble(Double.NaN)).format(0))
                    .append(" | ").append(spread(runs, r -> r.path("latencyMetadataMs").path("p50").asDouble(Double.NaN)).format(0))
                    .append(" | ").append(spread(runs, r -> r.path("avOffsetMs").path("p50").asDouble(Double.NaN)).format(0))
                    .append(" | ").append(spread(runs, r -> r.path("audioConcealedPercent").asDouble(Double.NaN)).format(2))
                    .append(" | ").append(spread(runs, r -> r.path("framesDropped").asDouble(Double.NaN)).format(0))
                    .append(" | ").append(spread(runs, r -> r.path("videoBufferMs").asDouble(Double.NaN)).format(0))
                    .append(" | ").append(spread(runs, r -> r.path("jitterBufferTargetMs").asDouble(Double.NaN)).format(0))
                    .append(" | ").append(spread(runs, r -> r.path("otherProcessesCores").asDouble(Double.NaN)).format(2))
                    .append(" |\n");
            for (int i = 0; i < runs.size(); i++) {
                JsonNode run = runs.get(i);
                JsonNode st = run.path("videoStagesMs");
                stages.append("| ").append(name).append(" #").append(i + 1);
                for (String stage : List.of("captureToEncoded", "encodedToRelay", "relayToPlayer", "arrivalToShown", "decode", "held",
                        "audioJitterBufferDepth")) {
                    stages.append(" | ").append(ms(st.path(stage)));
                }
                stages.append(" | ").append(ms(run.path("latencyMetadataMs").path("p50")))
                        .append(" | ").append(ms(run.path("latencyPixelMs").path("p50"))).append(" |\n");
            }
            double[] medians = new double[PERCENTILES.length];
            double[] spreads = new double[PERCENTILES.length];
            for (int i = 0; i < PERCENTILES.length; i++) {
                String key = PERCENTILE_KEYS.get(i);
                Spread s = spread(runs, r -> r.path("latencyPixelMs").path(key).asDouble(Double.NaN));
                medians[i] = s.median();
                spreads[i] = s.halfRange();
            }
            plot.series(name, PERCENTILES, medians, spreads);
            verdict.append(String.format(Locale.ROOT, "- %s: pixel p50 %.0f ms, p95 %.0f ms: goal %s.%n",
                    name, p50.median(), p95.median(),
                    LatencyGoal.PIXEL_P50.metBy(p50.median()) && LatencyGoal.PIXEL_P95.metBy(p95.median()) ? "met" : "**not met**"));
            headline.add(String.format(Locale.ROOT, "%s %.0f/%.0f ms", name, p50.median(), p95.median()));
        }
        List<String> missed = LatencyGoal.missed(root);
        verdict.append(missed.isEmpty() ? "- Every goal of bench/README.md met.\n"
                : "- Goals missed (`--check` fails):\n" + missed.stream().map(m -> "  - " + m + "\n").collect(Collectors.joining()));
        plot.series("goal", new double[] {50, 95}, new double[] {GOAL_P50_MS, GOAL_P95_MS});
        plot.save(results.resolve("latency-percentiles.png"));

        JsonNode source = root.path("source");
        String md = """
                ## End-to-end latency (capture → display)

                The relay and the capture agent run in one JVM on loopback (synthetic source %s at %d fps,
                %.1f Mbit/s H.264 + %s); the real web player runs in %s. Per path, each run
                opens the page anew, lets the start-up pass (5 s), then measures %d s. **Pixel** latency
                reads the frame stamp from the frame actually shown (canvas read-back) and compares it with
                the relay clock; **metadata** latency compares the packet's capture time with its display
                time. Cells: median of %d runs (min–max). Goal on loopback: p50 ≤ %.0f ms, p95 ≤ %.0f ms,
                A/V within ±40 ms (every goal: bench/README.md; `bench/run latency --check` judges them).

                Command: `%s` · machine: %s · load average at the end: %s

                **Headline:** capture → display by pixels, p50/p95: %s (goal %.0f/%.0f ms, loopback, 720p30).

                %s
                %s
                ![latency percentiles](latency-percentiles.png)

                Where the time goes, per run (ms; medians over the frames of the run's end, capture → encoded a
                mean over the run; `—`: not measured on that path or by that build). Capture → encoded is the
                agent's (the synthetic source's capture time is its grab); encoded → relay the send queue and
                the uplink; relay → player the fan-out, the downlink and the transport worker; arrival → shown
                the page, of which, on WebCodecs, the decoder and the wait for the audio clock. The display is
                not measured: a frame's display time is its draw (WebCodecs) or the browser's expected
                presentation (MSE); the compositor adds up to a refresh. Stages are medians of different sets
                of frames: they add up to the latency's median only roughly.

                %s
                """.formatted(source.path("size").asText(), source.path("fps").asInt(),
                source.path("videoBitrateBps").asDouble() / 1e6, source.path("audio").asText(), engines(root),
                root.path("measuredSecondsPerRun").asInt(), root.path("repeats").asInt(), GOAL_P50_MS, GOAL_P95_MS,
                root.path("command").asText(), root.path("machine").path("description").asText(),
                root.path("machine").path("loadAverage").asText(), String.join(", ", headline), GOAL_P50_MS, GOAL_P95_MS,
                table, verdict, stages);
        Path file = results.resolve("latency.md");
        Files.writeString(file, md);
        return file;
    }

    /** The engines a run used, as the report names them (older results name none: Chromium). */
    private static String engines(JsonNode root) {
        List<String> names = new java.util.ArrayList<>();
        root.path("browsers").forEach(b -> names.add(switch (b.asText()) {
            case "firefox" -> "Firefox ESR (headless, WebDriver BiDi)";
            case "webkit" -> "WebKitGTK's MiniBrowser (Xvfb, compositing off)";
            default -> "headless Chromium";
        }));
        return names.isEmpty() ? "headless Chromium" : String.join(", then ", names);
    }

    private static String ms(JsonNode value) {
        double v = value.asDouble(Double.NaN);
        return value.isMissingNode() || !Double.isFinite(v) ? "—" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static Spread spread(List<JsonNode> runs, ToDoubleFunction<JsonNode> figure) {
        return Spread.of(runs.stream().mapToDouble(figure).toArray());
    }
}
