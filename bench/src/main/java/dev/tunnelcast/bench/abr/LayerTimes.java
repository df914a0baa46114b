package dev.tunnelcast.bench.abr;

import dev.tunnelcast.bench.impair.CapSchedule;
import java.util.List;

/**
 * How fast the capped tab's layer followed a dip, from its seconds (the layer read at each
 * second's end): seconds from the dip's start to the first read below the layer it played just
 * before, and from the dip's end to the first read back on that layer (or above). NaN when the
 * scenario has no dip, the stream no layers, or it never happened within the run.
 */
final class LayerTimes {

    private LayerTimes() {}

    static double downAfter(CapSchedule scenario, List<TabSecond> seconds) {
        CapSchedule.Step start = scenario.dipStart();
        int before = start == null ? 0 : heightBefore(start.fromSecond(), seconds);
        if (before == 0) {
            return Double.NaN;
        }
        return firstAfter(start.fromSecond(), seconds, h -> h > 0 && h < before);
    }

    static double backUpAfter(CapSchedule scenario, List<TabSecond> seconds) {
        CapSchedule.Step start = scenario.dipStart();
        CapSchedule.Step end = scenario.dipEnd();
        int before = start == null || end == null ? 0 : heightBefore(start.fromSecond(), seconds);
        if (before == 0) {
            return Double.NaN;
        }
        return firstAfter(end.fromSecond(), seconds, h -> h >= before);
    }

    /** The layer height read at the end of the last second before {@code fromSecond} (0: none). */
    private static int heightBefore(int fromSecond, List<TabSecond> seconds) {
        // second i (1-based) covers [i-1, i) of the schedule: the one ending at fromSecond is number fromSecond
        return seconds.stream().filter(s -> s.second() == fromSecond).mapToInt(TabSecond::layerHeight).findFirst().orElse(0);
    }

    private static double firstAfter(int fromSecond, List<TabSecond> seconds, java.util.function.IntPredicate layer) {
        return seconds.stream().filter(s -> s.second() > fromSecond && layer.test(s.layerHeight()))
                .mapToDouble(s -> s.second() - fromSecond).findFirst().orElse(Double.NaN);
    }
}
