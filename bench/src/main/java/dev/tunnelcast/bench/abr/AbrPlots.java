package dev.tunnelcast.bench.abr;

import dev.tunnelcast.bench.impair.CapSchedule;
import dev.tunnelcast.bench.report.Plot;
import dev.tunnelcast.bench.report.Spread;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * The time plots of {@code abr.md}, per scenario: bitrate received and layer (the capped player
 * in each mode, the open player for reference, the cap), and latency with stalled time (both players
 * in each mode; a second in which no frame was shown holds the latency of the second before).
 * Lines are medians per second over the repeats; the layer is drawn per run (a median of 360
 * and 180 would be a layer that does not exist).
 */
final class AbrPlots {

    private final List<AbrRun> runs;
    private final List<AbrMode> modes;

    AbrPlots(List<AbrRun> runs, List<AbrMode> modes) {
        this.runs = runs;
        this.modes = modes;
    }

    /** Saves the plots of every scenario that has runs; returns the Markdown that shows them. */
    String write(Path dir, List<CapSchedule> scenarios) throws IOException {
        StringBuilder md = new StringBuilder();
        for (CapSchedule s : scenarios) {
            if (runs.stream().noneMatch(r -> r.scenario().equals(s.name()))) {
                continue;
            }
            String bitrate = "abr-" + s.name() + "-bitrate.png";
            String latency = "abr-" + s.name() + "-latency.png";
            bitratePlot(s).save(dir.resolve(bitrate));
            latencyPlot(s).save(dir.resolve(latency));
            md.append("![").append(s.name()).append(": bitrate and layer](").append(bitrate).append(")\n\n")
                    .append("![").append(s.name()).append(": latency and stalls](").append(latency).append(")\n\n");
        }
        return md.toString();
    }

    private Plot bitratePlot(CapSchedule s) {
        double[] t = seconds(s);
        Plot plot = Plot.lines("ABR " + s.name() + ": received bitrate (left), capped player's layer (right, dashed)", "seconds",
                "kbit/s").yFromZero();
        plot.series("cap", t, IntStream.range(0, s.seconds()).mapToDouble(i -> s.capAt(i) / 1000.0).toArray());
        for (AbrMode m : modes) {
            List<AbrRun> mine = runsOf(s, m);
            if (!mine.isEmpty()) {
                plot.series("capped, " + m.label, t, perSecond(mine, s, x -> x.capped().receivedKbps()));
            }
        }
        List<AbrRun> reference = runsOf(s, modes.contains(AbrMode.SIMULCAST) ? AbrMode.SIMULCAST : modes.get(0));
        if (!reference.isEmpty()) {
            plot.series("open, " + reference.get(0).mode(), t, perSecond(reference, s, x -> x.open().receivedKbps()));
        }
        for (AbrRun r : runsOf(s, AbrMode.SIMULCAST)) {
            double[] layer = r.seconds().stream().mapToDouble(x -> x.capped().layerHeight()).toArray();
            if (layer.length == t.length) {
                plot.seriesRight("capped layer, run " + r.repeat(), "layer height, px", t, layer);
            }
        }
        return plot;
    }

    private Plot latencyPlot(CapSchedule s) {
        double[] t = seconds(s);
        Plot plot = Plot.lines("ABR " + s.name() + ": pixel latency p50 (left), capped player stalled (right, dashed)", "seconds",
                "latency p50, ms").yFromZero();
        for (AbrMode m : modes) {
            List<AbrRun> mine = runsOf(s, m);
            if (!mine.isEmpty()) {
                plot.series("capped, " + m.label, t, held(perSecond(mine, s, x -> x.capped().latencyP50Ms(), Double.NaN)));
                plot.series("open, " + m.label, t, held(perSecond(mine, s, x -> x.open().latencyP50Ms(), Double.NaN)));
            }
        }
        for (AbrMode m : modes) {
            List<AbrRun> mine = runsOf(s, m);
            if (!mine.isEmpty()) {
                plot.seriesRight("stalled, capped, " + m.label, "stalled, ms per second", t,
                        perSecond(mine, s, x -> x.capped().stalledMs()));
            }
        }
        return plot;
    }

    private static double[] seconds(CapSchedule s) {
        return IntStream.rangeClosed(1, s.seconds()).asDoubleStream().toArray();
    }

    static double[] perSecond(List<AbrRun> runs, CapSchedule s, ToDoubleFunction<AbrSecond> figure) {
        return perSecond(runs, s, figure, 0);
    }

    /** The median over runs of a figure, second by second; {@code none} where no run has a value. */
    static double[] perSecond(List<AbrRun> runs, CapSchedule s, ToDoubleFunction<AbrSecond> figure, double none) {
        return IntStream.range(0, s.seconds()).mapToDouble(i -> {
            double m = Spread.of(runs.stream().filter(r -> r.seconds().size() > i)
                    .mapToDouble(r -> figure.applyAsDouble(r.seconds().get(i))).toArray()).median();
            return Double.isNaN(m) ? none : m;
        }).toArray();
    }

    /**
     * A latency line without gaps: a second without a value (no frame shown in it) holds the one before, since
     * the picture on screen is still that old (0 before the first value). A 0 would read as no latency at all.
     */
    static double[] held(double[] values) {
        double[] out = values.clone();
        double last = 0;
        for (int i = 0; i < out.length; i++) {
            if (Double.isNaN(out[i])) {
                out[i] = last;
            } else {
                last = out[i];
            }
        }
        return out;
    }

    private List<AbrRun> runsOf(CapSchedule s, AbrMode m) {
        return runs.stream().filter(r -> r.scenario().equals(s.name()) && r.mode().equals(m.label)).toList();
    }
}
