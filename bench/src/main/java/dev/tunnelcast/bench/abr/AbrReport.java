package dev.tunnelcast.bench.abr;

import dev.tunnelcast.bench.impair.CapSchedule;
import dev.tunnelcast.bench.report.Conditions;
import dev.tunnelcast.bench.report.Spread;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/** Writes {@code abr.md} (tables, the goal in words) and, through {@link AbrPlots}, its time plots. */
final class AbrReport {

    private final List<CapSchedule> scenarios;
    private final List<AbrMode> modes;
    private final List<AbrRun> runs;
    private final List<Map<String, String>> failures;
    private final RelaySettings relay;

    AbrReport(List<CapSchedule> scenarios, List<AbrMode> modes, List<AbrRun> runs, List<Map<String, String>> failures,
              RelaySettings relay) {
        this.scenarios = scenarios;
        this.modes = modes;
        this.runs = runs;
        this.failures = failures;
        this.relay = relay;
    }

    void write(Path dir, String command, String machine, String loadAtStart) throws IOException {
        StringBuilder md = new StringBuilder("## Adaptive quality on the way down: a capped player, single layer against simulcast\n\n");
        md.append("""
                The relay and a capture agent (synthetic 960x540 at 30 fps, frame stamp on, 2 s GOP, Opus) run in one JVM;
                two headless Chromium browsers play the same stream (two, not two tabs of one: a hidden tab's player
                renders a few frames a second), each opening its page **through an impairment proxy of its own**
                (`bench/.../impair/ImpairmentProxy`, so the page's WebSocket crosses it): the *capped* player's relay →
                player direction is capped by the scenario (a token bucket, 16 KiB socket buffers, no loss), the *open*
                player's proxy is left clean, so both pay the same extra hop. Player → relay
                is never capped. Both players start on a clean link and play; the scenario's first cap then applies for
                a warm-up (unmeasured: the capped player's first move down), and the measured window follows. Every
                second, per player: the bytes its proxy carried to it, the layer it plays, the time its picture stood
                still (framesShown not advancing for more than %d ms, the whole episode counted, timed in the page every
                20 ms) and the pixel latency (capture → display from the frame stamp, on the relay clock as each
                player estimates it) of the frames it showed. A run's stalled share is its stalled time over its
                length; its latency gap is the capped player's p50 minus the open player's, over every frame shown.
                Figures are medians over runs, min–max in parentheses; the plots show the median per second.

                """.formatted(PageWatch.STALL_MS));
        md.append("Modes:\n\n");
        modes.forEach(m -> md.append("- `").append(m.label).append("`: ").append(m.describe()).append('\n'));
        md.append("\nScenarios (the capped player's relay → player cap):\n\n");
        scenarios.forEach(s -> md.append("- `").append(s.name()).append("`: ").append(s.describe()).append('\n'));
        md.append("\nRelay: ").append(relay.describe()).append(".\n\n");
        md.append(Conditions.markdown(command, machine, loadAtStart,
                runs.stream().mapToDouble(AbrRun::otherProcessesCores).max().orElse(0), "run"));
        table(md);
        for (Map<String, String> f : failures) {
            md.append("\nFailed: ").append(f.get("scenario")).append(" × ").append(f.get("mode")).append(" #")
                    .append(f.get("repeat")).append(": ").append(f.get("error")).append('\n');
        }
        md.append('\n');
        md.append(new AbrPlots(runs, modes).write(dir, scenarios));
        md.append("### What this shows\n\n").append(headline()).append("\n\n").append(findings()).append('\n');
        Files.writeString(dir.resolve("abr.md"), md);
    }

    private void table(StringBuilder md) {
        md.append("| scenario | mode | capped kb/s | capped stalled % | stalls | capped latency p50 ms | open latency p50 ms "
                + "| gap ms | of which clock ms | capped p95 ms | layer switches | time on layers | relay drops | decode errors "
                + "| reconnects | open stalled % |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|\n");
        for (CapSchedule s : scenarios) {
            for (AbrMode m : modes) {
                List<AbrRun> mine = runsOf(s.name(), m.label);
                if (mine.isEmpty()) {
                    continue;
                }
                md.append("| ").append(s.name()).append(" | ").append(m.label).append(" | ")
                        .append(spread(mine, r -> r.capped().receivedKbps()).format(0)).append(" | ")
                        .append(spread(mine, r -> r.capped().stalledPercent()).format(1)).append(" | ")
                        .append(spread(mine, r -> r.capped().stalls()).format(0)).append(" | ")
                        .append(spread(mine, r -> r.capped().latencyP50Ms()).format(0)).append(" | ")
                        .append(spread(mine, r -> r.open().latencyP50Ms()).format(0)).append(" | ")
                        .append(spread(mine, AbrRun::latencyGapMs).format(0)).append(" | ")
                        .append(spread(mine, AbrRun::clockGapMs).format(0)).append(" | ")
                        .append(spread(mine, r -> r.capped().latencyP95Ms()).format(0)).append(" | ")
                        .append(spread(mine, r -> r.capped().layerSwitches()).format(0)).append(" | ")
                        .append(layerShares(mine)).append(" | ")
                        .append(spread(mine, r -> r.capped().relayDrops()).format(0)).append(" | ")
                        .append(spread(mine, r -> r.capped().decodeErrors()).format(0)).append(" | ")
                        .append(spread(mine, r -> r.capped().reconnects()).format(0)).append(" | ")
                        .append(spread(mine, r -> r.open().stalledPercent()).format(1)).append(" |\n");
            }
        }
        if (scenarios.stream().anyMatch(s -> s.dipStart() != null)) {
            md.append("\nThe dip, capped player: stalled share and the median of its per-second latency p50s in the dip and "
                    + "after it (to the run's end); with simulcast, seconds from the dip's start to its first read on a lower "
                    + "layer, and from the dip's end to its first read back on the layer it had before.\n\n"
                    + "| scenario | mode | stalled in dip % | latency in dip ms | stalled after % | latency after ms "
                    + "| down after s | back up after s |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
            for (CapSchedule s : scenarios) {
                for (AbrMode m : modes) {
                    List<AbrRun> mine = runsOf(s.name(), m.label);
                    if (s.dipStart() == null || mine.isEmpty()) {
                        continue;
                    }
                    boolean layered = m == AbrMode.SIMULCAST;
                    md.append("| ").append(s.name()).append(" | ").append(m.label).append(" | ")
                            .append(spread(mine, r -> r.dip().inStalledPercent()).format(1)).append(" | ")
                            .append(spread(mine, r -> r.dip().inLatencyP50Ms()).format(0)).append(" | ")
                            .append(spread(mine, r -> r.dip().afterStalledPercent()).format(1)).append(" | ")
                            .append(spread(mine, r -> r.dip().afterLatencyP50Ms()).format(0)).append(" | ")
                            .append(layered ? timing(mine, AbrRun::downAfterSeconds) : "—").append(" | ")
                            .append(layered ? timing(mine, AbrRun::backUpAfterSeconds) : "—").append(" |\n");
                }
            }
        }
    }

    /** "540p 20 %, 360p 80 %": the median share of the capped player's seconds per layer ("—" without layers). */
    private static String layerShares(List<AbrRun> runs) {
        Set<String> names = new LinkedHashSet<>();
        runs.forEach(r -> names.addAll(r.capped().layerPercent().keySet()));
        if (names.isEmpty()) {
            return "—";
        }
        StringBuilder b = new StringBuilder();
        names.stream().sorted((a, c) -> Integer.compare(TabTrace.layerHeight(c), TabTrace.layerHeight(a))).forEach(n ->
                b.append(b.length() == 0 ? "" : ", ").append(n).append(' ').append(spread(runs, r -> r.capped().percentOn(n)).format(0))
                        .append(" %"));
        return b.toString();
    }

    /** A timing's spread, with how many runs never got there. */
    private static String timing(List<AbrRun> runs, ToDoubleFunction<AbrRun> figure) {
        long never = runs.stream().filter(r -> Double.isNaN(figure.applyAsDouble(r))).count();
        return spread(runs, figure).format(0) + (never == 0 ? "" : " (" + never + " of " + runs.size() + " runs: not within the run)");
    }

    /** One line for the report's front: the goal, judged for simulcast, beside today's single layer. */
    String headline() {
        AbrGoal.Verdict simulcast = AbrGoal.judge(runs, AbrMode.SIMULCAST.label);
        AbrGoal.Verdict single = AbrGoal.judge(runs, AbrMode.SINGLE.label);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "**Headline:** behind a 1 Mbit/s cap (goal: stalled ≤ %.0f %% "
                + "of the time, latency within %.0f ms of an open player's), simulcast: %s", AbrGoal.STALLED_PERCENT_MAX,
                AbrGoal.LATENCY_GAP_MS_MAX, simulcast.words()));
        if (single.measured()) {
            b.append("; today's drop-to-keyframe: ").append(single.words());
        }
        return b.append('.').toString();
    }

    private String findings() {
        StringBuilder b = new StringBuilder();
        for (CapSchedule s : scenarios) {
            for (AbrMode m : modes) {
                List<AbrRun> mine = runsOf(s.name(), m.label);
                if (mine.isEmpty()) {
                    continue;
                }
                b.append(String.format(Locale.ROOT, "- `%s`, %s: the capped player received %.0f kb/s, was stalled %.1f %% of the time "
                                + "in %.0f episodes, pixel latency p50 %.0f ms against the open player's %.0f ms (%+.0f ms, of which %+.0f ms "
                                + "its clock estimate's difference), %.0f layer switches, %.0f relay drops, %.0f decode errors, %.0f reconnects",
                        s.name(), m.label, median(mine, r -> r.capped().receivedKbps()), median(mine, r -> r.capped().stalledPercent()),
                        median(mine, r -> r.capped().stalls()), median(mine, r -> r.capped().latencyP50Ms()),
                        median(mine, r -> r.open().latencyP50Ms()), median(mine, AbrRun::latencyGapMs), median(mine, AbrRun::clockGapMs),
                        median(mine, r -> r.capped().layerSwitches()), median(mine, r -> r.capped().relayDrops()),
                        median(mine, r -> r.capped().decodeErrors()), median(mine, r -> r.capped().reconnects())));
                String costs = layerCosts(mine);
                b.append(costs.isEmpty() ? "" : "; received per layer: " + costs).append(".\n");
            }
        }
        b.append(String.format(Locale.ROOT, """

                How to read it: with one layer, a link slower than the stream makes the relay's queue for that player
                overflow, and video is dropped up to the next keyframe (audio is kept): the picture freezes until it
                comes, and the latency saw-tooths with the queue. With simulcast the relay moves that player to the
                highest layer whose measured bitrate (with the audio) fits 90 %% of its link's drain rate, at the next
                keyframe, and after %d s of short queue probes whether the link carries the layer above by sending
                padding up to its rate, going up only if the queue stays short (a failed probe doubles the wait, up to
                %d s here). A layer further down than the cap needs, or stalls and latency bumps right after a probe,
                show in the plots as the layer line and the stalled time and latency of the same seconds.
                """, relay.probeAfterMs() / 1000, relay.maxProbeAfterMs() / 1000));
        return b.toString();
    }

    /**
     * "540p 2100 kb/s, 360p 760 kb/s": the median bitrate the capped player's link carried in the seconds it
     * was on each layer, over every run (the layer read at a second's end; a switch's second counts for the new one).
     */
    static String layerCosts(List<AbrRun> runs) {
        Set<String> names = new LinkedHashSet<>();
        runs.forEach(r -> r.seconds().forEach(s -> {
            if (!s.capped().layer().isEmpty()) {
                names.add(s.capped().layer());
            }
        }));
        StringBuilder b = new StringBuilder();
        names.stream().sorted((a, c) -> Integer.compare(TabTrace.layerHeight(c), TabTrace.layerHeight(a))).forEach(n -> {
            double[] kbps = runs.stream().flatMap(r -> r.seconds().stream()).filter(s -> s.capped().layer().equals(n))
                    .mapToDouble(s -> s.capped().receivedKbps()).toArray();
            b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.0f kb/s (%d s)", n,
                    Spread.of(kbps).median(), kbps.length));
        });
        return b.toString();
    }

    private List<AbrRun> runsOf(String scenario, String mode) {
        return runs.stream().filter(r -> r.scenario().equals(scenario) && r.mode().equals(mode)).toList();
    }

    private static double median(List<AbrRun> runs, ToDoubleFunction<AbrRun> figure) {
        return spread(runs, figure).median();
    }

    private static Spread spread(List<AbrRun> runs, ToDoubleFunction<AbrRun> figure) {
        return Spread.of(runs.stream().mapToDouble(figure).toArray());
    }
}
