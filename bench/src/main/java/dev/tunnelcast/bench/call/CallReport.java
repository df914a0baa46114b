package dev.tunnelcast.bench.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunnelcast.bench.report.Plot;
import dev.tunnelcast.bench.report.Spread;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.StreamSupport;

/**
 * Turns {@code call.json} into the report's call section ({@code call.md}) and its plot. A
 * configuration's figure is, per run, the median over its directions (every publisher →
 * viewer pair), then the median of the runs with their range.
 */
public final class CallReport {

    /** The goal for two participants at 640x360 on this machine's loopback. */
    static final double GOAL_G2G_P50_MS = 100;
    static final double GOAL_G2G_P95_MS = 150;
    static final double GOAL_M2E_P50_MS = 120;

    private CallReport() {}

    /** Writes {@code call.md} and {@code call-latency.png} next to {@code call.json}. */
    public static Path write(Path results) throws IOException {
        JsonNode root = new ObjectMapper().readTree(results.resolve("call.json").toFile());
        StringBuilder summary = new StringBuilder("| participants | size | runs | glass-to-glass p50 | p95 | mouth-to-ear p50 | p95"
                + " | beeps matched | A/V offset | player's A/V | frames shown/s | renderer CPU per page, cores"
                + " | browser CPU per page, cores | other processes, cores |\n|--:|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        StringBuilder breakdown = new StringBuilder("| participants | size | video: capture → encoded | encoded → relay"
                + " | relay → shown | audio: capture → encoded | encoded → relay | relay → heard | of which jitter buffer (target)"
                + " | output device | rest | audio concealed % |\n|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        StringBuilder presence = new StringBuilder("| participants | size | a leave seen after, ms | a join seen after, ms |\n"
                + "|--:|---|--:|--:|\n");
        StringBuilder perDirection = new StringBuilder();
        List<String> headline = new ArrayList<>();
        Map<String, double[][]> plotSeries = new LinkedHashMap<>();
        for (JsonNode configuration : root.path("configurations")) {
            List<JsonNode> runs = StreamSupport.stream(configuration.path("runs").spliterator(), false).toList();
            int n = configuration.path("participants").asInt();
            String size = configuration.path("size").asText();
            Spread g2g50 = overDirections(runs, d -> d.path("glassToGlassMs").path("p50").asDouble(Double.NaN));
            Spread g2g95 = overDirections(runs, d -> d.path("glassToGlassMs").path("p95").asDouble(Double.NaN));
            Spread m2e50 = overDirections(runs, d -> d.path("mouthToEarMs").path("p50").asDouble(Double.NaN));
            Spread m2e95 = overDirections(runs, d -> d.path("mouthToEarMs").path("p95").asDouble(Double.NaN));
            long heard = 0;
            long matched = 0;
            for (JsonNode run : runs) {
                for (JsonNode d : run.path("directions")) {
                    heard += d.path("mouthToEarMs").path("heard").asLong();
                    matched += d.path("mouthToEarMs").path("samples").asLong();
                }
            }
            long failed = runs.stream().filter(r -> r.has("failed")).count();
            String measured = failed == 0 ? String.valueOf(runs.size())
                    : String.format(Locale.ROOT, "%d of %d (%d never settled)", runs.size() - failed, runs.size(), failed);
            summary.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %d of %d | %s | %s | %s | %s | %s | %s |%n",
                    n, size, measured, g2g50.format(0), g2g95.format(0), m2e50.format(0), m2e95.format(0), matched, heard,
                    overDirections(runs, d -> d.path("avOffsetMs").asDouble(Double.NaN)).format(0),
                    overDirections(runs, d -> d.path("playerAvOffsetMs").asDouble(Double.NaN)).format(0),
                    overDirections(runs, d -> d.path("framesShownPerSecond").asDouble(Double.NaN)).format(0),
                    overPages(runs, p -> p.path("rendererCores").asDouble(Double.NaN)).format(2),
                    overPages(runs, p -> p.path("browserCores").asDouble(Double.NaN)).format(2),
                    spread(runs, r -> r.path("otherProcessesCores").asDouble(Double.NaN)).format(2)));
            breakdown.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s | %s (%s) | %s | %s | %s |%n", n, size,
                    part(runs, "video", "captureToEncodedMs"), part(runs, "video", "encodedToRelayMs"),
                    part(runs, "video", "relayToShownMs"), part(runs, "audio", "captureToEncodedMs"),
                    part(runs, "audio", "encodedToRelayMs"), part(runs, "audio", "relayToHeardMs"),
                    part(runs, "audio", "jitterBufferMs"), part(runs, "audio", "jitterBufferTargetMs"),
                    part(runs, "audio", "outputDeviceMs"), part(runs, "audio", "restMs"),
                    overDirections(runs, d -> d.path("audio").path("concealedPercent").asDouble(Double.NaN)).format(1)));
            presence.append(String.format(Locale.ROOT, "| %d | %s | %s | %s |%n", n, size,
                    pooled(runs, "leaveSeenMs"), pooled(runs, "joinSeenMs")));
            if (n == 2) {
                perDirection.append(directions(size, runs));
            }
            if (n == 2 && size.equals("640x360")) {
                boolean met = goalMet(g2g50.median(), g2g95.median(), m2e50.median());
                headline.add(String.format(Locale.ROOT, "two participants at 640x360: glass-to-glass p50 %.0f ms, p95 %.0f ms"
                                + " (goal %.0f/%.0f), mouth-to-ear p50 %.0f ms (goal %.0f): %s", g2g50.median(), g2g95.median(),
                        GOAL_G2G_P50_MS, GOAL_G2G_P95_MS, m2e50.median(), GOAL_M2E_P50_MS, met ? "goal met" : "**goal not met**"));
            }
            double[][] series = plotSeries.computeIfAbsent(size, k -> new double[4][0]);
            plotSeries.put(size, new double[][] {append(series[0], n), append(series[1], g2g50.median()), append(series[2], m2e50.median()),
                append(series[3], g2g95.median())});
        }
        Plot plot = Plot.lines("Call latency by participants (median of runs)", "participants", "ms").yFromZero();
        plotSeries.forEach((size, s) -> {
            plot.series("glass-to-glass p50, " + size, s[0], s[1]);
            plot.series("glass-to-glass p95, " + size, s[0], s[3]);
            plot.series("mouth-to-ear p50, " + size, s[0], s[2]);
        });
        plot.save(results.resolve("call-latency.png"));
        JsonNode machine = root.path("machine");
        String md = """
                ## Calls (browser to browser)

                Each participant is a headless Chromium whose fake camera and microphone play files made with
                FFmpeg: testsrc2 with the frame stamp of docs/frame-stamp.md as an identifier, and 1 kHz beeps at
                irregular gaps; each page is the real call page (`#/call/{room}`), the relay runs in the
                benchmark's JVM on loopback. The pages record when they captured each stamp and beep and when
                they showed or heard each one (relay clock, `window.tunnelcast.stats`; web-player/README.md,
                "The call's figures"); **glass-to-glass** is a stamp's display on one page minus its capture on
                the other (the fake camera's frame time: the camera's own exposure and readout are not in
                it), **mouth-to-ear** a beep's arrival at the other page's audio output (`getOutputTimestamp`)
                minus its capture, a beep being identified by the gap before it (unmatched ones are counted,
                not guessed). **A/V offset** is glass-to-glass p50 minus mouth-to-ear p50 (positive: the
                picture is late); the player's own A/V figure is beside it. CPU is the renderer processes of
                each participant's browser (its page, workers and worklets) and the whole browser, from /proc.
                Per configuration %d run(s) of %d s, each a new room with the pages opened anew; a cell is the
                median over the runs of the median over the directions, with the runs' range.

                Command: `%s`  \s
                Machine: %s  \s
                Load average at start: %s; at the end: %s

                **Headline:** %s.

                %s
                Where the time goes (medians; capture → relay from the relay's receive times, the rest from
                the pages' figures; "relay → shown/heard" is glass-to-glass or mouth-to-ear minus capture →
                relay; the audio's rest is the downlink, decoding and the worklet):

                %s
                Joins and leaves (after the measurement one participant leaves and joins again, its page
                opened anew; each other page's delay in showing it, from the leaver's click and from the
                relay's join time, on the relay clock; median and maximum over the pages and runs; the
                issue's figure is 1 s):

                %s
                %s
                ![call latency](call-latency.png)
                """.formatted(root.path("repeats").asInt(), root.path("measuredSecondsPerRun").asInt(), root.path("command").asText(),
                machine.path("description").asText(), machine.path("loadAverageAtStart").asText(),
                machine.path("loadAverageAtEnd").asText(),
                headline.isEmpty() ? "(no two-participant 640x360 run)" : String.join("; ", headline), summary, breakdown,
                presence, perDirection.isEmpty() ? "" : "Per direction, two participants:\n\n"
                        + "| size | direction | glass-to-glass p50 | p95 | mouth-to-ear p50 | A/V offset |\n"
                        + "|---|---|--:|--:|--:|--:|\n" + perDirection + "\n");
        Path file = results.resolve("call.md");
        Files.writeString(file, md);
        return file;
    }

    static boolean goalMet(double g2gP50, double g2gP95, double m2eP50) {
        return g2gP50 <= GOAL_G2G_P50_MS && g2gP95 <= GOAL_G2G_P95_MS && m2eP50 <= GOAL_M2E_P50_MS;
    }

    private static String directions(String size, List<JsonNode> runs) {
        Map<String, List<JsonNode>> byDirection = new LinkedHashMap<>();
        for (JsonNode run : runs) {
            for (JsonNode d : run.path("directions")) {
                byDirection.computeIfAbsent(d.path("from").asText() + " → " + d.path("to").asText(), k -> new ArrayList<>()).add(d);
            }
        }
        StringBuilder rows = new StringBuilder();
        byDirection.forEach((name, ds) -> rows.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", size, name,
                spread(ds, d -> d.path("glassToGlassMs").path("p50").asDouble(Double.NaN)).format(0),
                spread(ds, d -> d.path("glassToGlassMs").path("p95").asDouble(Double.NaN)).format(0),
                spread(ds, d -> d.path("mouthToEarMs").path("p50").asDouble(Double.NaN)).format(0),
                spread(ds, d -> d.path("avOffsetMs").asDouble(Double.NaN)).format(0))));
        return rows.toString();
    }

    /** The median and maximum of a presence figure pooled over every run's other pages. */
    private static String pooled(List<JsonNode> runs, String figure) {
        double[] values = runs.stream().flatMap(r -> StreamSupport.stream(r.path("presence").path(figure).spliterator(), false))
                .mapToDouble(JsonNode::asDouble).toArray();
        if (values.length == 0) {
            return "—";
        }
        Spread spread = Spread.of(values);
        return String.format(Locale.ROOT, "%.0f (max %.0f)", spread.median(), spread.max());
    }

    private static String part(List<JsonNode> runs, String track, String figure) {
        return overDirections(runs, d -> d.path(track).path(figure).asDouble(Double.NaN)).format(0);
    }

    /** Per run the median of {@code figure} over its directions; their spread over the runs. */
    private static Spread overDirections(List<JsonNode> runs, ToDoubleFunction<JsonNode> figure) {
        return spread(runs, run -> Spread.of(StreamSupport.stream(run.path("directions").spliterator(), false)
                .mapToDouble(figure).toArray()).median());
    }

    /** Per run the median of {@code figure} over its pages; their spread over the runs. */
    private static Spread overPages(List<JsonNode> runs, ToDoubleFunction<JsonNode> figure) {
        return spread(runs, run -> Spread.of(StreamSupport.stream(run.path("pages").spliterator(), false)
                .mapToDouble(figure).toArray()).median());
    }

    private static Spread spread(List<JsonNode> items, ToDoubleFunction<JsonNode> figure) {
        return Spread.of(items.stream().mapToDouble(figure).toArray());
    }

    private static double[] append(double[] values, double value) {
        double[] more = java.util.Arrays.copyOf(values, values.length + 1);
        more[values.length] = value;
        return more;
    }
}
