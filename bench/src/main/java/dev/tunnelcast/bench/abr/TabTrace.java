package dev.tunnelcast.bench.abr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one tab's reads ({@link PageWatch.Sample}, plus the bytes its link carried) into
 * {@link TabSecond}s, and those into the run's {@link TabFigures}. Pure: no page, no clock.
 * The player's cumulative counters become per-second differences (never negative: a player
 * that started over counts from zero again).
 */
final class TabTrace {

    private final List<TabSecond> seconds = new ArrayList<>();
    private final List<Double> latencies = new ArrayList<>();
    private PageWatch.Sample previous;
    private double measuredMs;

    /**
     * Starts from the read that opens the measured window: what it says is before the window and
     * only its counters are kept, as the baseline.
     */
    TabTrace(PageWatch.Sample baseline) {
        this.previous = baseline;
    }

    /** Adds the second that ends with {@code now}, {@code elapsedMs} long, in which the tab's link carried {@code bytes}. */
    TabSecond add(int second, PageWatch.Sample now, long bytes, double elapsedMs) {
        latencies.addAll(now.latenciesMs());
        measuredMs += elapsedMs;
        TabSecond s = new TabSecond(second, elapsedMs > 0 ? bytes * 8 / elapsedMs : Double.NaN, layerName(now.videoLayer()),
                layerHeight(now.videoLayer()), now.stalledMs(), now.stallsBegun(), percentile(now.latenciesMs(), 0.5),
                now.latenciesMs().size(), delta(previous.framesShown(), now.framesShown()),
                delta(previous.layerSwitches(), now.layerSwitches()), delta(previous.relayDrops(), now.relayDrops()),
                delta(previous.decodeErrors(), now.decodeErrors()), delta(previous.reconnects(), now.reconnects()),
                now.clockOffsetMs(), now.state(), now.ticks());
        previous = now;
        seconds.add(s);
        return s;
    }

    List<TabSecond> seconds() {
        return List.copyOf(seconds);
    }

    TabFigures figures() {
        double stalledMs = seconds.stream().mapToDouble(TabSecond::stalledMs).sum();
        double kbpsSum = seconds.stream().mapToDouble(TabSecond::receivedKbps).sum();
        Map<String, Double> layers = new LinkedHashMap<>();
        for (TabSecond s : seconds) {
            if (!s.layer().isEmpty()) {
                layers.merge(s.layer(), 100.0 / seconds.size(), Double::sum);
            }
        }
        List<Double> offsets = seconds.stream().map(TabSecond::clockOffsetMs).filter(d -> !Double.isNaN(d)).toList();
        double measuredSeconds = measuredMs / 1000;
        return new TabFigures(seconds.isEmpty() ? Double.NaN : kbpsSum / seconds.size(),
                measuredMs > 0 ? 100 * stalledMs / measuredMs : Double.NaN,
                seconds.stream().mapToInt(TabSecond::stallsBegun).sum(),
                percentile(latencies, 0.5), percentile(latencies, 0.95), latencies.size(),
                sum(TabSecond::layerSwitches), sum(TabSecond::relayDrops), sum(TabSecond::decodeErrors), sum(TabSecond::reconnects),
                measuredSeconds > 0 ? sum(TabSecond::framesShown) / measuredSeconds : Double.NaN, layers,
                percentile(offsets, 0.5));
    }

    private long sum(java.util.function.ToLongFunction<TabSecond> f) {
        return seconds.stream().mapToLong(f).sum();
    }

    private static long delta(long before, long after) {
        return Math.max(0, after - before);
    }

    /** "360p" of the player's "360p · layer 2 of 3"; "" without layers. */
    static String layerName(String videoLayer) {
        int space = videoLayer.indexOf(' ');
        return (space < 0 ? videoLayer : videoLayer.substring(0, space)).strip();
    }

    /** 360 of "360p · layer 2 of 3"; 0 without layers (or a name that is not a height). */
    static int layerHeight(String videoLayer) {
        String name = layerName(videoLayer);
        return name.matches("\\d+p") ? Integer.parseInt(name.substring(0, name.length() - 1)) : 0;
    }

    /** The nearest-rank percentile ({@code p} in 0..1); NaN for no values. */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) Math.max(0, Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1)));
    }
}
