package dev.tunnelcast.bench.abr;

import dev.tunnelcast.bench.report.Spread;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 19's goal, which {@code bench/run abr --check} holds simulcast to: behind a 1 Mbit/s
 * cap (scenario {@code cap}) the capped player is stalled at most {@value #STALLED_PERCENT_MAX}
 * % of the time, and its pixel latency p50 is within {@value #LATENCY_GAP_MS_MAX} ms of the open
 * player's in the same run; each on the median of the runs.
 */
final class AbrGoal {

    static final double STALLED_PERCENT_MAX = 1;
    static final double LATENCY_GAP_MS_MAX = 100;
    static final String SCENARIO = "cap";

    /** One mode's judgement: the medians judged, and a line per part missed (empty: met). */
    record Verdict(String mode, Spread stalledPercent, Spread latencyGapMs, List<String> missed) {

        boolean measured() {
            return stalledPercent.runs() > 0;
        }

        boolean met() {
            return measured() && missed.isEmpty();
        }

        /** "met (stalled 0.3 % (0.1–0.5) of the time, latency +42 ms (30–55))", or "missed: …". */
        String words() {
            if (!measured()) {
                return "not measured";
            }
            String figures = String.format(Locale.ROOT, "stalled %s %% of the time, latency %s ms against the open player",
                    stalledPercent.format(1), signed(latencyGapMs));
            return (met() ? "met" : "missed") + " (" + figures + ")";
        }

        private static String signed(Spread s) {
            String f = s.format(0);
            return s.median() >= 0 && !f.startsWith("-") ? "+" + f : f;
        }
    }

    private AbrGoal() {}

    static Verdict judge(List<AbrRun> runs, String mode) {
        List<AbrRun> mine = runs.stream().filter(r -> r.scenario().equals(SCENARIO) && r.mode().equals(mode)).toList();
        Spread stalled = Spread.of(mine.stream().mapToDouble(r -> r.capped().stalledPercent()).toArray());
        Spread gap = Spread.of(mine.stream().mapToDouble(AbrRun::latencyGapMs).toArray());
        List<String> missed = new ArrayList<>();
        String runsText = mine.size() == 1 ? "1 run" : "median of " + mine.size() + " runs";
        if (stalled.runs() == 0) {
            missed.add(mode + ": the " + SCENARIO + " scenario was not measured");
        } else {
            if (!(stalled.median() <= STALLED_PERCENT_MAX)) {
                missed.add(String.format(Locale.ROOT, "%s: the capped player was stalled %.1f %% of the time (%s: %s), goal ≤ %.0f %%",
                        mode, stalled.median(), runsText, stalled.format(1), STALLED_PERCENT_MAX));
            }
            if (!(Math.abs(gap.median()) <= LATENCY_GAP_MS_MAX)) {
                missed.add(String.format(Locale.ROOT,
                        "%s: the capped player's latency p50 was %+.0f ms from the open player's (%s: %s), goal within %.0f ms",
                        mode, gap.median(), runsText, gap.format(0), LATENCY_GAP_MS_MAX));
            }
        }
        return new Verdict(mode, stalled, gap, missed);
    }
}
