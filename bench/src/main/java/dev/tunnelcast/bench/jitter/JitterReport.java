package dev.tunnelcast.bench.jitter;

import dev.tunnelcast.bench.report.Conditions;
import dev.tunnelcast.bench.report.Plot;
import dev.tunnelcast.bench.report.Spread;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Writes {@code jitter.md} and its plots from the sweep's runs. */
final class JitterReport {

    /** Medians of one cell's windows. */
    record Cell(String profile, String setting, Spread pixelP50, Spread pixelP95, Spread concealed, Spread stallsPerMinute,
                Spread frozenMs, Spread avOffset, Spread target) {}

    private final List<String> profiles;
    private final List<String> settings;
    private final List<CellRun> runs;
    private final List<Map<String, String>> failures;

    JitterReport(List<String> profiles, List<String> settings, List<CellRun> runs, List<Map<String, String>> failures) {
        this.profiles = profiles;
        this.settings = settings;
        this.runs = runs;
        this.failures = failures;
    }

    List<Cell> cells() {
        return profiles.stream().flatMap(p -> settings.stream().map(s -> cell(p, s))).filter(c -> c.pixelP50().runs() > 0
                || c.concealed().runs() > 0).toList();
    }

    private Cell cell(String profile, String setting) {
        List<CellRun> mine = runs.stream().filter(r -> r.profile().equals(profile) && r.setting().equals(setting)).toList();
        return new Cell(profile, setting, spread(mine, CellRun::pixelP50Ms), spread(mine, CellRun::pixelP95Ms),
                spread(mine, CellRun::concealedPercent), spread(mine, CellRun::stallsPerMinute),
                spread(mine, CellRun::videoFrozenMs), spread(mine, CellRun::avOffsetP50Ms),
                spread(mine, CellRun::jitterBufferTargetMs));
    }

    private static Spread spread(List<CellRun> runs, ToDoubleFunction<CellRun> figure) {
        return Spread.of(runs.stream().mapToDouble(figure).toArray());
    }

    void write(Path dir, String command, String machine, String loadAtStart) throws IOException {
        List<Cell> cells = cells();
        StringBuilder md = new StringBuilder("## Jitter buffer: latency against concealment under impaired networks\n\n");
        md.append("""
                The relay and a capture agent (synthetic 720p30 source, 2.5 Mbit/s H.264 + Opus 20 ms, frame stamp on)
                run in one JVM; the web player runs in headless Chromium and opens its page **through the
                impairment proxy** (`bench/.../impair/ImpairmentProxy`), so its WebSocket crosses an impaired TCP
                path: delay, jitter, a rate cap or stalls, in both directions (the player's clock sync assumes a
                symmetric path), never loss or reordering — jitter turns into head-of-line blocking, as on TCP.
                For each network profile × jitter-buffer setting (`?latency=floor-ceiling` ms; `default` is the
                player's own adaptive 20–1000 ms) the page is opened, played unmeasured for the start-up backlog,
                then measured in repeated windows. Figures: **pixel latency** (capture → display, from the stamp read
                back from the frames shown), **audio concealment** (share of played audio that was silence filling
                for late packets), **video stalls** (framesShown not advancing for more than %d ms, polled in the page
                every 20 ms), A/V offset (shown video minus heard audio) and the jitter buffer's target.
                Each figure is the median over windows, with min–max in parentheses.

                """.formatted(StallWatch.THRESHOLD_MS));
        md.append("Profiles (each direction):\n\n");
        profiles.forEach(p -> md.append("- `").append(p).append("`: ").append(NetworkProfiles.named(p).describe()).append('\n'));
        md.append('\n').append(Conditions.markdown(command, machine, loadAtStart,
                runs.stream().mapToDouble(CellRun::otherProcessesCores).max().orElse(0), "window"));
        md.append("| profile | setting | pixel p50 ms | pixel p95 ms | audio concealed % | video stalls /min | frozen ms/window | A/V p50 ms | buffer target ms |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Cell c : cells) {
            md.append("| ").append(c.profile()).append(" | ").append(c.setting()).append(" | ")
                    .append(c.pixelP50().format(0)).append(" | ").append(c.pixelP95().format(0)).append(" | ")
                    .append(c.concealed().format(2)).append(" | ").append(c.stallsPerMinute().format(1)).append(" | ")
                    .append(c.frozenMs().format(0)).append(" | ").append(c.avOffset().format(0)).append(" | ")
                    .append(c.target().format(0)).append(" |\n");
        }
        for (Map<String, String> f : failures) {
            md.append("\nFailed: ").append(f.get("profile")).append(" × ").append(f.get("setting")).append(": ").append(f.get("error"));
        }
        if (!cells.isEmpty()) {
            plot(cells, "Jitter buffer trade-off: latency vs audio concealment", "audio concealed %", Cell::concealed)
                    .save(dir.resolve("jitter-tradeoff.png"));
            plot(cells, "Jitter buffer: latency vs video stalls", "video stalls per minute", Cell::stallsPerMinute)
                    .save(dir.resolve("jitter-stalls.png"));
            md.append("\n![latency vs concealment](jitter-tradeoff.png)\n\n![latency vs video stalls](jitter-stalls.png)\n");
        }
        md.append("\n### What this shows\n\n").append(headline(cells)).append("\n\n").append(findings(cells)).append('\n');
        Files.writeString(dir.resolve("jitter.md"), md);
    }

    private Plot plot(List<Cell> cells, String title, String yLabel, java.util.function.Function<Cell, Spread> y) {
        Plot plot = Plot.scatter(title, "pixel latency p50, ms", yLabel).yFromZero();
        for (String profile : profiles) {
            List<Cell> mine = cells.stream().filter(c -> c.profile().equals(profile) && !Double.isNaN(c.pixelP50().median())
                    && !Double.isNaN(y.apply(c).median())).toList();
            if (mine.isEmpty()) {
                continue;
            }
            plot.series(profile, mine.stream().mapToDouble(c -> c.pixelP50().median()).toArray(),
                    mine.stream().mapToDouble(c -> y.apply(c).median()).toArray(),
                    mine.stream().mapToDouble(c -> y.apply(c).halfRange()).toArray());
            mine.forEach(c -> plot.label(c.setting(), c.pixelP50().median(), y.apply(c).median()));
        }
        return plot;
    }

    /** One line for the report's front: the player's default setting (or the first) under every profile. */
    String headline(List<Cell> cells) {
        String setting = settings.contains(JitterBench.PLAYER_DEFAULT) ? JitterBench.PLAYER_DEFAULT : settings.get(0);
        StringBuilder b = new StringBuilder("**Headline:** jitter buffer `").append(setting)
                .append(setting.equals(JitterBench.PLAYER_DEFAULT) ? "` (20–1000 ms adaptive)" : "`")
                .append(", audio concealed / pixel latency p50 by network:");
        String sep = " ";
        for (Cell c : cells) {
            if (c.setting().equals(setting)) {
                b.append(sep).append(String.format(Locale.ROOT, "%s %.1f %% / %.0f ms", c.profile(), c.concealed().median(),
                        c.pixelP50().median()));
                sep = ", ";
            }
        }
        return b.append('.').toString();
    }

    /** Per profile: the lowest-latency setting against the one that conceals least, in figures. */
    String findings(List<Cell> cells) {
        StringBuilder b = new StringBuilder();
        for (String profile : profiles) {
            List<Cell> mine = cells.stream().filter(c -> c.profile().equals(profile) && !Double.isNaN(c.pixelP50().median())).toList();
            if (mine.isEmpty()) {
                continue;
            }
            Cell fastest = mine.stream().min(Comparator.comparingDouble(c -> c.pixelP50().median())).orElseThrow();
            Cell smoothest = mine.stream().min(Comparator.comparingDouble((Cell c) -> nanLast(c.concealed().median()))
                    .thenComparingDouble(c -> c.pixelP50().median())).orElseThrow();
            b.append(String.format(Locale.ROOT, "- `%s`: lowest latency with `%s` (p50 %.0f ms, %.2f %% concealed, %.1f stalls/min)",
                    profile, fastest.setting(), fastest.pixelP50().median(), fastest.concealed().median(),
                    fastest.stallsPerMinute().median()));
            if (smoothest != fastest) {
                b.append(String.format(Locale.ROOT, "; least concealment with `%s` (%.2f %% at p50 %.0f ms, +%.0f ms)",
                        smoothest.setting(), smoothest.concealed().median(), smoothest.pixelP50().median(),
                        smoothest.pixelP50().median() - fastest.pixelP50().median()));
            } else {
                b.append("; it also conceals least");
            }
            b.append(".\n");
        }
        b.append("""

                How to read it: each point is one setting under one network; down and to the left is better. The
                floor is the least audio the buffer holds, so raising it adds latency one for one and leaves more
                room for late packets; the ceiling bounds how far the adaptive target may grow with measured jitter.
                A stall longer than the buffer is concealed whatever the setting — the setting then decides how
                much latency stays after it. Video stalls count the moments the picture froze, whatever the cause
                (frames late from the network, a resync); audio is the master clock and video follows it.
                """);
        return b.toString();
    }

    private static double nanLast(double v) {
        return Double.isNaN(v) ? Double.MAX_VALUE : v;
    }
}
