package dev.tunnelcast.bench.call;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Glass-to-glass and mouth-to-ear of one direction of a call (one participant's page to
 * another's), from what the two pages recorded on their relay clocks (web-player/README.md,
 * "The call's figures"): the publishing page's captured stamps and beep onsets, the playing
 * page's shown stamps and heard onsets. Pure.
 *
 * <p>The fake devices loop their files ({@link CallMedia#LOOP_MS}), so a stamp or a beep
 * recurs: a shown stamp is matched to the latest capture of the same stamp before it (right
 * while glass-to-glass stays under one loop). Beeps all sound alike, so a heard onset is
 * matched by the gap before it: the captured onset whose gap to its predecessor equals the
 * heard one's (the file's gaps differ by 200 ms or more); a heard onset with no such capture
 * (a spurious onset in an underrun, a missed one before it, a gap the jitter buffer stretched)
 * is counted as unmatched, not guessed.
 */
public final class CallLatency {

    /** How far a heard gap between beeps may differ from the captured one to identify the beep. */
    public static final double BEEP_GAP_TOLERANCE_MS = 80;

    /** A stamp (or nothing, for a beep) and when the page captured or showed it, relay clock ms. */
    public record Stamp(long stamp, double atMs) {}

    /** Mouth-to-ear delays of the heard onsets that could be matched, and how many could not. */
    public record Beeps(double[] delaysMs, int heard, int unmatched) {}

    private CallLatency() {}

    /**
     * For each stamp shown at {@code t} in [{@code fromMs}, {@code toMs}): {@code t} minus the
     * latest capture of that stamp at or before {@code t}, if it lies within {@code loopMs}.
     */
    public static double[] glassToGlass(List<Stamp> captured, List<Stamp> shown, double fromMs, double toMs, double loopMs) {
        Map<Long, List<Double>> captures = new HashMap<>();
        for (Stamp c : captured) {
            captures.computeIfAbsent(c.stamp(), k -> new ArrayList<>()).add(c.atMs());
        }
        captures.values().forEach(times -> times.sort(null));
        List<Double> delays = new ArrayList<>();
        for (Stamp s : shown) {
            if (s.atMs() < fromMs || s.atMs() >= toMs) {
                continue;
            }
            List<Double> times = captures.get(s.stamp());
            double latest = times == null ? Double.NaN : latestAtOrBefore(times, s.atMs());
            if (!Double.isNaN(latest) && s.atMs() - latest < loopMs) {
                delays.add(s.atMs() - latest);
            }
        }
        return delays.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Matches the onsets heard in [{@code fromMs}, {@code toMs}) to captured ones by the gap before each (see the class). */
    public static Beeps mouthToEar(double[] capturedMs, double[] heardMs, double fromMs, double toMs, double loopMs) {
        double[] captured = capturedMs.clone();
        double[] heard = heardMs.clone();
        Arrays.sort(captured);
        Arrays.sort(heard);
        List<Double> delays = new ArrayList<>();
        int counted = 0;
        for (int i = 0; i < heard.length; i++) {
            double h = heard[i];
            if (h < fromMs || h >= toMs) {
                continue;
            }
            counted++;
            if (i == 0) {
                continue; // no gap to identify it by
            }
            double heardGap = h - heard[i - 1];
            double match = Double.NaN;
            int candidates = 0;
            for (int j = 1; j < captured.length; j++) {
                double c = captured[j];
                if (c > h || h - c >= loopMs) {
                    continue;
                }
                if (Math.abs(heardGap - (c - captured[j - 1])) <= BEEP_GAP_TOLERANCE_MS) {
                    candidates++;
                    match = c;
                }
            }
            if (candidates == 1) {
                delays.add(h - match);
            }
        }
        return new Beeps(delays.stream().mapToDouble(Double::doubleValue).toArray(), counted, counted - delays.size());
    }

    /** The {@code q} quantile (0..1) of {@code values}, nearest rank; NaN for none. */
    public static double percentile(double[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    private static double latestAtOrBefore(List<Double> sorted, double t) {
        double latest = Double.NaN;
        for (double time : sorted) {
            if (time > t) {
                break;
            }
            latest = time;
        }
        return latest;
    }
}
