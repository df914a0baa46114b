package dev.tunnelcast.bench.uplink;

import dev.tunnelcast.bench.impair.CapSchedule;
import dev.tunnelcast.bench.report.Conditions;
import dev.tunnelcast.bench.report.Plot;
import dev.tunnelcast.bench.report.Spread;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/** Writes {@code uplink.md} and its time plots (medians per second over repeats). */
final class UplinkReport {

    private final List<CapSchedule> schedules;
    private final List<UplinkRun> runs;
    private final int bitrate;

    UplinkReport(List<CapSchedule> schedules, List<UplinkRun> runs, int bitrate) {
        this.schedules = schedules;
        this.runs = runs;
        this.bitrate = bitrate;
    }

    void write(Path dir, String command, String machine, String loadAtStart) throws IOException {
        StringBuilder md = new StringBuilder("## Uplink under a bandwidth cap: drop-to-keyframe and adaptive bitrate\n\n");
        md.append(String.format(Locale.ROOT, """
                The capture agent (synthetic 720p30, H.264 at %.1f Mbit/s, 2 s GOP, Opus) publishes to the relay
                through the impairment proxy (`bench/.../impair/ImpairmentProxy`) with its upstream capped below the
                stream's bitrate (a token bucket; small socket buffers, so the agent's own send path feels it), with
                and without `--adaptive` (a delay-based estimate of the uplink, docs/agent.md). A subscriber connected
                straight to the relay measures each video packet's capture → arrival latency (relay, agent and
                subscriber share one clock). Sampled every second: the agent's send rate (all tracks), its encoder's
                target, video frames dropped, its send queue; the subscriber's received video bitrate and latency.
                Figures are medians over repeats, min–max in parentheses; the plots show the median per second.

                """, bitrate / 1e6));
        md.append("Scenarios:\n\n");
        schedules.forEach(s -> md.append("- `").append(s.name()).append("`: ").append(s.describe()).append('\n'));
        md.append('\n').append(Conditions.markdown(command, machine, loadAtStart,
                runs.stream().mapToDouble(UplinkRun::otherProcessesCores).max().orElse(0), "run"));
        md.append("| scenario | adaptive | video received kb/s | video frames dropped | latency p50 ms | latency p95 ms | latency max ms | last third p50 / p95 ms | lowest encoder target kb/s | last encoder target kb/s |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (CapSchedule s : schedules) {
            for (boolean adaptive : new boolean[] {false, true}) {
                List<UplinkRun> mine = runsOf(s.name(), adaptive);
                if (mine.isEmpty()) {
                    continue;
                }
                md.append("| ").append(s.name()).append(" | ").append(adaptive ? "on" : "off").append(" | ")
                        .append(spread(mine, UplinkRun::receivedVideoKbps).format(0)).append(" | ")
                        .append(spread(mine, r -> r.videoDropped()).format(0)).append(" | ")
                        .append(spread(mine, UplinkRun::latencyP50Ms).format(0)).append(" | ")
                        .append(spread(mine, UplinkRun::latencyP95Ms).format(0)).append(" | ")
                        .append(spread(mine, UplinkRun::latencyMaxMs).format(0)).append(" | ")
                        .append(spread(mine, UplinkRun::lastThirdLatencyP50Ms).format(0)).append(" / ")
                        .append(spread(mine, UplinkRun::lastThirdLatencyP95Ms).format(0)).append(" | ")
                        .append(spread(mine, UplinkRun::minEncoderKbps).format(0)).append(" | ")
                        .append(spread(mine, UplinkRun::lastEncoderKbps).format(0)).append(" |\n");
            }
        }
        md.append('\n');
        for (CapSchedule s : schedules) {
            if (runsOf(s.name(), false).isEmpty() && runsOf(s.name(), true).isEmpty()) {
                continue;
            }
            bitratePlot(s).save(dir.resolve("uplink-" + s.name() + "-bitrate.png"));
            dropsPlot(s).save(dir.resolve("uplink-" + s.name() + "-drops.png"));
            md.append("![").append(s.name()).append(": bitrate and latency](uplink-").append(s.name()).append("-bitrate.png)\n\n")
                    .append("![").append(s.name()).append(": drops and send queue](uplink-").append(s.name()).append("-drops.png)\n\n");
        }
        md.append("### What this shows\n\n").append(headline()).append("\n\n").append(findings()).append('\n');
        Files.writeString(dir.resolve("uplink.md"), md);
    }

    private Plot bitratePlot(CapSchedule s) {
        double[] t = IntStream.rangeClosed(1, s.seconds()).asDoubleStream().toArray();
        Plot plot = Plot.lines("Uplink " + s.name() + ": bitrate (left) and capture-to-arrival latency (right, dashed)",
                "seconds", "kbit/s").yFromZero();
        plot.series("cap", t, IntStream.range(0, s.seconds()).mapToDouble(i -> s.capAt(i) / 1000.0).toArray());
        for (boolean adaptive : new boolean[] {false, true}) {
            List<UplinkRun> mine = runsOf(s.name(), adaptive);
            if (mine.isEmpty()) {
                continue;
            }
            String mode = adaptive ? "adaptive" : "fixed";
            plot.series("sent, " + mode, t, perSecond(mine, s, UplinkSecond::sentKbps));
            if (adaptive) {
                plot.series("encoder target, adaptive", t, perSecond(mine, s, UplinkSecond::encoderKbps));
            }
            plot.seriesRight("latency p50, " + mode, "latency, ms", t, perSecond(mine, s, UplinkSecond::latencyP50Ms));
        }
        return plot;
    }

    private Plot dropsPlot(CapSchedule s) {
        double[] t = IntStream.rangeClosed(1, s.seconds()).asDoubleStream().toArray();
        Plot plot = Plot.lines("Uplink " + s.name() + ": video frames dropped per second (left), send queue (right, dashed)",
                "seconds", "frames dropped / s").yFromZero();
        for (boolean adaptive : new boolean[] {false, true}) {
            List<UplinkRun> mine = runsOf(s.name(), adaptive);
            if (mine.isEmpty()) {
                continue;
            }
            String mode = adaptive ? "adaptive" : "fixed";
            plot.series("dropped, " + mode, t, perSecond(mine, s, x -> x.videoDropped()));
            plot.seriesRight("send queue, " + mode, "send queue, KiB", t, perSecond(mine, s, UplinkSecond::queueKiB));
        }
        return plot;
    }

    /** The median over runs of a figure, second by second (NaN-free: a second with no value in any run is 0). */
    static double[] perSecond(List<UplinkRun> runs, CapSchedule s, ToDoubleFunction<UplinkSecond> figure) {
        return IntStream.range(0, s.seconds()).mapToDouble(i -> {
            double m = Spread.of(runs.stream().filter(r -> r.seconds().size() > i)
                    .mapToDouble(r -> figure.applyAsDouble(r.seconds().get(i))).toArray()).median();
            return Double.isNaN(m) ? 0 : m;
        }).toArray();
    }

    private List<UplinkRun> runsOf(String scenario, boolean adaptive) {
        return runs.stream().filter(r -> r.scenario().equals(scenario) && r.adaptive() == adaptive).toList();
    }

    private static double median(List<UplinkRun> runs, ToDoubleFunction<UplinkRun> figure) {
        return spread(runs, figure).median();
    }

    private static Spread spread(List<UplinkRun> runs, ToDoubleFunction<UplinkRun> figure) {
        return Spread.of(runs.stream().mapToDouble(figure).toArray());
    }

    /** One line for the report's front, from the first scenario run in both modes. */
    String headline() {
        for (CapSchedule s : schedules) {
            List<UplinkRun> fixed = runsOf(s.name(), false);
            List<UplinkRun> adaptive = runsOf(s.name(), true);
            if (!fixed.isEmpty() && !adaptive.isEmpty()) {
                return String.format(Locale.ROOT, "**Headline:** %.1f Mbit/s of video through an uplink capped at %s: at a fixed "
                                + "bitrate the subscriber sees p50 %.0f ms (%.0f frames dropped to keyframes); with `--adaptive` "
                                + "p50 %.0f ms over the run's last third (encoder at %.0f kb/s, %.0f frames dropped).",
                        bitrate / 1e6, s.describe(), median(fixed, UplinkRun::latencyP50Ms), median(fixed, r -> r.videoDropped()),
                        median(adaptive, UplinkRun::lastThirdLatencyP50Ms), median(adaptive, UplinkRun::lastEncoderKbps),
                        median(adaptive, r -> r.videoDropped()));
            }
        }
        return "";
    }

    private String findings() {
        StringBuilder b = new StringBuilder();
        for (CapSchedule s : schedules) {
            List<UplinkRun> fixed = runsOf(s.name(), false);
            List<UplinkRun> adaptive = runsOf(s.name(), true);
            if (fixed.isEmpty() || adaptive.isEmpty()) {
                continue;
            }
            b.append(String.format(Locale.ROOT,
                    "- `%s`: fixed bitrate: %.0f video frames dropped, latency p50 %.0f / p95 %.0f ms, in the last third p50 %.0f ms; "
                            + "`--adaptive`: %.0f dropped, p50 %.0f / p95 %.0f ms, in the last third p50 %.0f ms (encoder target down to %.0f kb/s, %.0f kb/s at the end).%n",
                    s.name(), median(fixed, r -> r.videoDropped()), median(fixed, UplinkRun::latencyP50Ms),
                    median(fixed, UplinkRun::latencyP95Ms), median(fixed, UplinkRun::lastThirdLatencyP50Ms),
                    median(adaptive, r -> r.videoDropped()), median(adaptive, UplinkRun::latencyP50Ms),
                    median(adaptive, UplinkRun::latencyP95Ms), median(adaptive, UplinkRun::lastThirdLatencyP50Ms),
                    median(adaptive, UplinkRun::minEncoderKbps), median(adaptive, UplinkRun::lastEncoderKbps)));
        }
        b.append("""

                How it works: the agent's send queue is bounded by bytes and by age (8 MiB, 1 s here); when the
                uplink cannot keep up, queued and new video is dropped up to the next keyframe (audio keeps going), so the latency a
                fixed-bitrate stream settles at is about the queue's age bound, and video arrives in bursts between
                drops. `--adaptive` also estimates what the uplink carries from the send queue's drain rate and the
                trend of its queueing delay (send queue and a Ping's delay beyond the socket): on over-use the
                encoder's target goes to 0.9 × the measured rate less the audio, while the delay falls it holds, and
                while it is low it probes up slowly (docs/agent.md, "Adaptive bitrate"), so it settles below the cap
                and the queue, and with it the latency, stays short.
                """);
        return b.toString();
    }
}
