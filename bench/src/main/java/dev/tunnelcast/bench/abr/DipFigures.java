package dev.tunnelcast.bench.abr;

import dev.tunnelcast.bench.impair.CapSchedule;
import dev.tunnelcast.bench.report.Spread;
import java.util.List;

/**
 * The capped player during a dip and after it, from its seconds: the share of the time it was
 * stalled and the median of its per-second pixel latency p50s, in the dip (from the step down
 * to the step up) and after it (to the run's end). A run's figures over all its seconds hide a
 * 15 s dip among 25 s of open link; these do not. NaN when the scenario has no dip.
 */
record DipFigures(double inStalledPercent, double inLatencyP50Ms, double afterStalledPercent, double afterLatencyP50Ms) {

    static DipFigures of(CapSchedule scenario, List<TabSecond> seconds) {
        CapSchedule.Step start = scenario.dipStart();
        CapSchedule.Step end = scenario.dipEnd();
        if (start == null) {
            return new DipFigures(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        int to = end == null ? scenario.seconds() : end.fromSecond();
        // second i (1-based) covers [i-1, i) of the schedule
        List<TabSecond> in = seconds.stream().filter(s -> s.second() > start.fromSecond() && s.second() <= to).toList();
        List<TabSecond> after = seconds.stream().filter(s -> s.second() > to).toList();
        return new DipFigures(stalledPercent(in), latency(in), stalledPercent(after), latency(after));
    }

    private static double stalledPercent(List<TabSecond> seconds) {
        return seconds.isEmpty() ? Double.NaN : seconds.stream().mapToDouble(TabSecond::stalledMs).sum() / seconds.size() / 10;
    }

    private static double latency(List<TabSecond> seconds) {
        return Spread.of(seconds.stream().mapToDouble(TabSecond::latencyP50Ms).toArray()).median();
    }
}
