package dev.tunnelcast.bench.latency;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunnelcast.bench.report.Spread;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.StreamSupport;

/**
 * The goals that {@code bench/run latency --check} holds the pipeline to, per video path, on
 * the median of its runs. The end-to-end tests assert only behaviour that holds on a loaded
 * machine; these figures are judged here. bench/README.md lists them ({@code
 * LatencyGoalTest} keeps its table equal to this enum); the latency and A/V goals are
 * DESIGN.md's budget.
 */
public enum LatencyGoal {
    PIXEL_P50("pixel latency p50", "latencyPixelMs", "p50", Bound.AT_MOST, 60, "ms"),
    PIXEL_P95("pixel latency p95", "latencyPixelMs", "p95", Bound.AT_MOST, 90, "ms"),
    AV_OFFSET_P05("A/V offset p05", "avOffsetMs", "p05", Bound.AT_LEAST, -40, "ms"),
    AV_OFFSET_P95("A/V offset p95", "avOffsetMs", "p95", Bound.AT_MOST, 40, "ms"),
    AUDIO_CONCEALED("audio concealed", "audioConcealedPercent", "", Bound.AT_MOST, 1, "%"),
    FRAMES_SHOWN("frames shown", "framesShownPerSecond", "", Bound.AT_LEAST, 27, "per second"),
    FRAMES_DROPPED("frames dropped", "framesDroppedPercent", "", Bound.AT_MOST, 5, "% of frames shown");

    /** Which side of the limit meets the goal. */
    enum Bound {
        AT_MOST("≤"), AT_LEAST("≥");

        final String symbol;

        Bound(String symbol) {
            this.symbol = symbol;
        }
    }

    final String label;
    private final String field;
    private final String percentile;
    final Bound bound;
    final double limit;
    final String unit;

    LatencyGoal(String label, String field, String percentile, Bound bound, double limit, String unit) {
        this.label = label;
        this.field = field;
        this.percentile = percentile;
        this.bound = bound;
        this.limit = limit;
        this.unit = unit;
    }

    /** This goal's row in bench/README.md's table of goals. */
    String readmeRow() {
        return String.format(Locale.ROOT, "| %s | %s %s %s |", label, bound.symbol, format(limit), unit);
    }

    /** The figure of one run (an entry of a path's {@code runs} in latency.json); NaN when missing. */
    double of(JsonNode run) {
        JsonNode node = run.path(field);
        return (percentile.isEmpty() ? node : node.path(percentile)).asDouble(Double.NaN);
    }

    /** Whether a figure meets the goal; a missing figure (NaN) does not. */
    boolean metBy(double value) {
        return bound == Bound.AT_MOST ? value <= limit : value >= limit;
    }

    /**
     * One line per goal that a path of {@code latency.json} misses on the median of its runs,
     * e.g. "mse: pixel latency p95 is 97 ms (median of 3 runs: 97.0 (85.0–110.0)), goal ≤ 90 ms"; empty when every
     * goal is met.
     */
    public static List<String> missed(JsonNode latencyJson) {
        List<String> lines = new ArrayList<>();
        for (JsonNode path : latencyJson.path("paths")) {
            List<JsonNode> runs = StreamSupport.stream(path.path("runs").spliterator(), false).toList();
            if (path.has("notMeasured")) {
                lines.add(label(path) + ": not measured: " + path.path("notMeasured").asText());
                continue;
            }
            for (LatencyGoal goal : values()) {
                Spread s = Spread.of(runs.stream().mapToDouble(goal::of).toArray());
                if (!goal.metBy(s.median())) {
                    String measured = s.runs() == 0 ? "not measured"
                            : String.format(Locale.ROOT, "%s %s (%s)", format(s.median()), goal.unit,
                            s.runs() == 1 ? "1 run" : "median of " + s.runs() + " runs: " + s.format(1));
                    lines.add(String.format(Locale.ROOT, "%s: %s is %s, goal %s %s %s",
                            label(path), goal.label, measured, goal.bound.symbol, format(goal.limit), goal.unit));
                }
            }
        }
        return lines;
    }

    /**
     * A measured path's name in the report: the video path ("mse"), after its engine where that
     * is not Chromium ("firefox mse"; older results name no engine: Chromium).
     */
    public static String label(JsonNode path) {
        String browser = path.path("browser").asText("chromium");
        return (browser.equals("chromium") ? "" : browser + " ") + path.path("path").asText();
    }

    private static String format(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
