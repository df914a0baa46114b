package dev.tunnelcast.bench.abr;

import dev.tunnelcast.bench.impair.CapSchedule;
import java.util.List;

/**
 * One measured run of a scenario in one mode: the capped tab's and the open tab's figures,
 * the capped tab's pixel latency p50 minus the open tab's ({@code latencyGapMs}: what the cap
 * costs in latency) and the difference of their relay-clock estimates ({@code clockGapMs}: both
 * tabs run on one machine, so this is the capped player's clock error, part of the latency
 * gap), when the capped tab went down a layer after a dip began and came back to its layer
 * after it ended (s, NaN: no dip, no layers, or never), its figures in and after the dip, the
 * cores other processes took and the load average at the run's start, and every second.
 */
record AbrRun(String scenario, String mode, int repeat, TabFigures capped, TabFigures open, double latencyGapMs,
              double clockGapMs, double downAfterSeconds, double backUpAfterSeconds, DipFigures dip,
              double otherProcessesCores, String loadAverage, List<AbrSecond> seconds) {

    static AbrRun of(CapSchedule scenario, AbrMode mode, int repeat, TabTrace capped, TabTrace open, double otherCores,
                     String loadAverage, List<AbrSecond> seconds) {
        TabFigures c = capped.figures();
        TabFigures o = open.figures();
        List<TabSecond> cappedSeconds = seconds.stream().map(AbrSecond::capped).toList();
        return new AbrRun(scenario.name(), mode.label, repeat, c, o, c.latencyP50Ms() - o.latencyP50Ms(),
                c.clockOffsetMs() - o.clockOffsetMs(), LayerTimes.downAfter(scenario, cappedSeconds),
                LayerTimes.backUpAfter(scenario, cappedSeconds), DipFigures.of(scenario, cappedSeconds), otherCores, loadAverage, seconds);
    }
}
