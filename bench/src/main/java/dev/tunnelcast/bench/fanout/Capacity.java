package dev.tunnelcast.bench.fanout;

import dev.tunnelcast.bench.report.Spread;
import java.util.List;
import java.util.OptionalInt;

/**
 * The bar a relay must clear at a player count to "sustain" it, judged on the medians of the
 * repeated runs: at least {@code minDeliveredPercent} delivered and p99 at most {@code maxP99Millis}.
 */
record Capacity(double minDeliveredPercent, double maxP99Millis) {

    static final Capacity ISSUE_6 = new Capacity(99.9, 50);

    boolean sustains(List<RunResult> runsAtOneCount) {
        if (runsAtOneCount.isEmpty()) return false;
        Spread delivered = FanoutReport.spread(runsAtOneCount, RunResult::deliveredPercent);
        Spread p99 = FanoutReport.spread(runsAtOneCount, r -> r.latencyP99Micros() / 1000.0);
        return delivered.median() >= minDeliveredPercent && p99.median() <= maxP99Millis;
    }

    /** The largest player count at which this relay's runs clear the bar, if any does. */
    OptionalInt largestSustained(List<RunResult> runs, String relay) {
        return runs.stream().filter(r -> r.relay().equals(relay)).mapToInt(RunResult::players).distinct()
                .filter(n -> sustains(runs.stream().filter(r -> r.relay().equals(relay) && r.players() == n).toList()))
                .max();
    }

    String describe() {
        return String.format("≥ %s %% delivered and p99 ≤ %s ms (medians over the repeats)",
                trim(minDeliveredPercent), trim(maxP99Millis));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
