package dev.tunnelcast.bench.fanout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tunnelcast.bench.harness.MachineInfo;
import dev.tunnelcast.bench.report.Plot;
import dev.tunnelcast.bench.report.Spread;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.ToDoubleFunction;

/** Writes fanout.json (every run), fanout.md (the report section) and the fanout-*.png plots. */
final class FanoutReport {
    private static final double MIB = 1048576.0;

    private final Path out;
    private final List<RelayKind> kinds;
    private final List<Integer> playerCounts;
    private final Capacity bar;
    private final String command;
    private final double loadAtStart;
    private final int seconds;
    private final int repeats;

    FanoutReport(Path out, List<RelayKind> kinds, List<Integer> playerCounts, Capacity bar, List<String> args,
                 double loadAtStart, int seconds, int repeats) {
        this.out = out;
        this.kinds = kinds;
        this.playerCounts = playerCounts;
        this.bar = bar;
        this.command = "bench/run fanout " + String.join(" ", args);
        this.loadAtStart = loadAtStart;
        this.seconds = seconds;
        this.repeats = repeats;
    }

    void write(List<RunResult> runs, List<SlowSubscriberRun.Result> slow) throws IOException {
        Map<String, Object> capacity = new LinkedHashMap<>();
        for (RelayKind k : kinds) capacity.put(k.label, largest(runs, k).orElse(0));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "fanout");
        doc.put("command", command);
        doc.put("machine", MachineInfo.describe());
        doc.put("loadAverageAtStart", loadAtStart);
        doc.put("capacityBar", bar.describe());
        doc.put("largestSustainedPlayers", capacity);
        doc.put("runs", runs);
        doc.put("slowSubscriber", slow);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("fanout.json").toFile(), doc);

        String md = markdown(runs, slow) + plots(runs, slow) + NODE_MEDIA_SERVER;
        Files.writeString(out.resolve("fanout.md"), md);
        System.out.println();
        System.out.print(md);
        System.out.println("\nWrote " + out.resolve("fanout.json") + ", " + out.resolve("fanout.md") + " and its plots");
    }

    private OptionalInt largest(List<RunResult> runs, RelayKind k) {
        return bar.largestSustained(runs, k.label);
    }

    private String markdown(List<RunResult> runs, List<SlowSubscriberRun.Result> slow) {
        StringBuilder md = new StringBuilder("## Fan-out: Tunnelcast against a Node `ws` broadcast relay\n\n");
        md.append("Command: `").append(command).append("`  \nMachine: ").append(MachineInfo.describe())
                .append("; load average at start ").append(String.format("%.2f", loadAtStart)).append(".\n\n")
                .append("**How.** One synthetic publisher (720p30, 2.5 Mbit/s video with a keyframe each second, 50 Opus-sized audio packets/s,")
                .append(" real protobuf framing) in the benchmark's JVM, and N players in a JVM of their own: real TCP WebSocket clients on one")
                .append(" selector thread. Each relay runs in its own process, started fresh for every run: ours from the shaded jar (-Xmx1g),")
                .append(" the baseline `bench/node-relay/relay.js` on Node ").append(nodeVersion())
                .append(" with npm `ws` (pinned in its lock file), which, like JSMpeg's `websocket-relay.js`, `send()`s every publisher")
                .append(" message to every subscriber: no backpressure, no GOP cache, no drops. Both get the same publisher and the same players")
                .append(" (for the baseline the players count as connected on the upgrade, since it sends no Welcome).")
                .append(" Latency is publisher send → player receive on one clock, so it includes both loopback hops;")
                .append(" CPU is the process's utime+stime over the window (100 % = one core); RSS is the relay's VmRSS at the end of the window;")
                .append(" per delivered message is that CPU, or the relay's system calls over the window (`perf stat -e raw_syscalls:sys_enter -p`,")
                .append(" all threads; \"—\" without perf), over the messages healthy players received of what was published in the window.")
                .append(" **The load generator shares the machine's two cores with the relay**: its CPU is the \"players CPU\" column")
                .append(" (the players' process) plus the \"bench CPU\" column (the benchmark's JVM: the publisher and the measuring).")
                .append(" Medians over ").append(repeats).append(" runs of ").append(seconds)
                .append(" s each, runs interleaved between the relays (min–max in brackets); a relay's sweep stops one player count after it")
                .append(" first fails the bar. Ours only: heap per player is the heap after a full GC with the players less before them,")
                .append(" over the players; relay-added p99 is the relay's own histogram (`tunnelcast_relay_latency`: receive → write")
                .append(" completed, the upper bound of its bucket), over every message, then over audio only and keyframes only; `tunnelcast-merge20ms` is ours with `--player-write-merge 20ms`.")
                .append(" Raw runs: `fanout.json`.\n\n");

        md.append(whatThisShows(runs, slow));

        md.append("| players | relay | delivered % | p50 ms | p99 ms | relay CPU % | relay CPU µs / delivered msg | of which kernel % | relay syscalls / delivered msg | players CPU % | bench CPU % | relay RSS MiB | relay heap MiB | heap KiB / player | relay-added p99 ms | of audio | of keyframes | drops |\n")
                .append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int players : playerCounts) {
            for (RelayKind k : kinds) {
                List<RunResult> at = at(runs, k, players);
                if (at.isEmpty()) continue;
                md.append("| ").append(players).append(" | ").append(k.label)
                        .append(" | ").append(spread(at, RunResult::deliveredPercent).format(3))
                        .append(" | ").append(spread(at, r -> r.latencyP50Micros() / 1000.0).format(2))
                        .append(" | ").append(spread(at, r -> r.latencyP99Micros() / 1000.0).format(2))
                        .append(" | ").append(spread(at, RunResult::relayCpuPercentOfCore).format(0))
                        .append(" | ").append(spread(at, RunResult::relayCpuMicrosPerDelivered).format(2))
                        .append(" | ").append(spread(at, RunResult::relayKernelPercentOfCpu).format(0))
                        .append(" | ").append(spread(at, RunResult::relaySyscallsPerDelivered).format(3))
                        .append(" | ").append(spread(at, RunResult::playersCpuPercentOfCore).format(0))
                        .append(" | ").append(spread(at, RunResult::benchCpuPercentOfCore).format(0))
                        .append(" | ").append(spread(at, r -> r.relayResidentBytes() / MIB).format(0))
                        .append(" | ").append(spread(at, r -> r.relayHeapBytes() < 0 ? -1 : r.relayHeapBytes() / MIB).format(0))
                        .append(" | ").append(spread(at, r -> r.heapPerPlayerBytes() < 0 ? -1 : r.heapPerPlayerBytes() / 1024.0).format(1))
                        .append(" | ").append(spread(at, r -> millis(r.relayOwnP99Micros())).format(1))
                        .append(" | ").append(spread(at, r -> millis(r.relayAudioP99Micros())).format(1))
                        .append(" | ").append(spread(at, r -> millis(r.relayKeyframeP99Micros())).format(1))
                        .append(" | ").append(spread(at, RunResult::relayDrops).format(0)).append(" |\n");
            }
        }
        md.append("\nLoad average (1 min) at the start of the runs: ")
                .append(spread(runs, RunResult::loadAverage1m).format(2)).append(".\n\n");
        if (!slow.isEmpty()) md.append(slowSection(slow));
        return md.toString();
    }

    /** Microseconds as milliseconds; -1 (not measured) stays -1. */
    private static double millis(long micros) {
        return micros < 0 ? -1 : micros / 1000.0;
    }

    private String ratioSentence(List<RunResult> runs) {
        if (kinds.size() < 2) return "";
        OptionalInt ours = largest(runs, RelayKind.TUNNELCAST);
        OptionalInt node = largest(runs, RelayKind.NODE_WS);
        int top = playerCounts.stream().mapToInt(Integer::intValue).max().orElse(0);
        if (ours.isEmpty()) return "Tunnelcast cleared the bar at none of the counts measured.";
        if (node.isEmpty()) return String.format("the Node baseline cleared the bar at none of the counts: the ratio is more than %d / %d.",
                ours.getAsInt(), playerCounts.get(0));
        String bound = ours.getAsInt() == top ? "at least " : "";
        return String.format("ratio %s%.2f× (Tunnelcast / Node ws)%s.", bound, (double) ours.getAsInt() / node.getAsInt(),
                bound.isEmpty() ? "" : ", a lower bound because Tunnelcast cleared the largest count measured");
    }

    /** The findings in words, from the figures; the report lists the headline lines up front. */
    private String whatThisShows(List<RunResult> runs, List<SlowSubscriberRun.Result> slow) {
        StringBuilder md = new StringBuilder("**Headline:** capacity on 2 cores, load generator included (largest N with ")
                .append(bar.describe()).append("): ");
        for (RelayKind k : kinds) {
            OptionalInt n = largest(runs, k);
            md.append(k.label).append(n.isPresent() ? " " + n.getAsInt() : " none of the counts").append(", ");
        }
        md.append(ratioSentence(runs)).append("\n\n");
        if (!slow.isEmpty()) {
            md.append(String.format("**Headline:** one subscriber stalled for %.0f s beside %d readers: ",
                    slow.get(0).stallSeconds(), slow.get(0).readingPlayers()));
            for (RelayKind k : kinds) {
                List<SlowSubscriberRun.Result> rs = slow.stream().filter(r -> r.relay().equals(k.label)).toList();
                if (rs.isEmpty()) continue;
                Spread closed = spread(rs, SlowSubscriberRun.Result::stalledClosedAfterSeconds);
                md.append(k.label).append(" RSS +").append(spread(rs, r -> (r.residentMaxBytes() - r.residentStartBytes()) / MIB).format(1))
                        .append(" MiB (slope over the stall's second half ").append(slope(rs).format(2)).append(" MiB/s")
                        .append(heapGrowth(rs).runs() > 0 ? "; heap after GC +" + heapGrowth(rs).format(1) + " MiB" : "")
                        .append("), the others' p99 ").append(spread(rs, r -> r.othersP99Micros() / 1000.0).format(1)).append(" ms")
                        .append(closed.runs() > 0 ? ", stalled player closed with 4408 after " + closed.format(1) + " s" : ", stalled player kept")
                        .append("; ");
            }
            md.setLength(md.length() - 2);
            md.append(".\n\n");
        }
        double load = spread(runs, RunResult::loadAverage1m).max();
        if (load > 1.0) {
            md.append(String.format("Noisy: the 1-minute load average reached %.1f during the runs (2 cores), so other work"
                    + " competed with both the relays and the load generator.%n%n", load));
        }
        return md.toString();
    }

    private String slowSection(List<SlowSubscriberRun.Result> slow) {
        StringBuilder md = new StringBuilder("### One stalled subscriber\n\n");
        SlowSubscriberRun.Result first = slow.get(0);
        md.append("One player stops reading as soon as it is connected and stays stalled for ").append((int) first.stallSeconds())
                .append(" s while ").append(first.readingPlayers()).append(" others read on; the relay's RSS is sampled every 0.5 s.")
                .append(" Ours bounds each player's queue (2 s of media by age, then drops to the next keyframe) and closes a player that")
                .append(" stays behind for 10 s with 4408 (seen in its `tunnelcast_refusals_total{code=\"4408\"}`); the Node relay has no bound,")
                .append(" so what the stalled socket cannot take stays in its `bufferedAmount` once the kernel's socket buffers")
                .append(" (here up to ").append(KERNEL_BUFFERS).append(") are full; `ws` shares one buffer per message among all subscribers,")
                .append(" so a stalled subscriber costs about the stream's bitrate (~0.3 MiB/s) for as long as it stalls.")
                .append(" The slope over the second half of the stall says whether memory is still growing; our JVM's RSS also moves")
                .append(" with heap sizing (G1 growing or returning regions), which is not queued media: its heap after a full GC, at the end of the stall against before the players joined, is what it really holds.\n\n")
                .append("| relay | others delivered % | others p50 ms | others p99 ms | RSS at start MiB | RSS max MiB | RSS growth MiB | RSS slope, 2nd half MiB/s | heap after GC, end − start MiB | closed 4408 after s |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RelayKind k : kinds) {
            List<SlowSubscriberRun.Result> rs = slow.stream().filter(r -> r.relay().equals(k.label)).toList();
            if (rs.isEmpty()) continue;
            md.append("| ").append(k.label)
                    .append(" | ").append(spread(rs, SlowSubscriberRun.Result::othersDeliveredPercent).format(3))
                    .append(" | ").append(spread(rs, r -> r.othersP50Micros() / 1000.0).format(2))
                    .append(" | ").append(spread(rs, r -> r.othersP99Micros() / 1000.0).format(2))
                    .append(" | ").append(spread(rs, r -> r.residentStartBytes() / MIB).format(0))
                    .append(" | ").append(spread(rs, r -> r.residentMaxBytes() / MIB).format(0))
                    .append(" | ").append(spread(rs, r -> (r.residentMaxBytes() - r.residentStartBytes()) / MIB).format(1))
                    .append(" | ").append(slope(rs).format(2))
                    .append(" | ").append(heapGrowth(rs).format(1))
                    .append(" | ").append(spread(rs, SlowSubscriberRun.Result::stalledClosedAfterSeconds).format(1))
                    .append(" |\n");
        }
        return md.append("\n").toString();
    }

    private static final String KERNEL_BUFFERS = sysctl("net/ipv4/tcp_wmem") + " send, " + sysctl("net/ipv4/tcp_rmem")
            + " receive (tcp_wmem/tcp_rmem min default max)";

    private static String sysctl(String name) {
        try {
            return "`" + Files.readString(Path.of("/proc/sys", name)).trim().replaceAll("\\s+", " ") + "`";
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static final String NODE_MEDIA_SERVER = """
            ### Node-Media-Server (WS-FLV): runs here, not measured

            Issue #6 also names Node-Media-Server's WebSocket-FLV output. It does run on this machine: npm
            `node-media-server` 4.4.3 (`bin/app.js -b 127.0.0.1 --rtmp-port … --http-port …`) took an RTMP publish from
            Debian's `ffmpeg` (x264 720p30 2.5 Mbit/s + AAC) and served `ws://127.0.0.1:…/live/s.flv` to a `ws` client
            (392 FLV tags, 1.68 MB in 5 s). Its fan-out is the same loop as the baseline above: `broadcast_server.js` calls
            `ws.send()` for every FLV tag on every subscriber (plus a GOP cache for joiners), with no backpressure and no
            bound, so its per-subscriber cost and its slow-subscriber behaviour are those of the `ws` baseline plus FLV muxing
            once per tag. It is not in the table because it cannot be measured the same way: it ingests RTMP, so the
            publisher is not our synthetic stream, and its FLV tags carry stream-relative millisecond timestamps, not a capture
            time, so the one-clock publisher-send → player-receive latency would need a separate FLV client and an
            estimated publish start (ffmpeg start-up and the RTMP handshake are not on our clock). That FLV mode was not
            built in the time this benchmark had.

            """;


    private String plots(List<RunResult> runs, List<SlowSubscriberRun.Result> slow) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append(vsPlayers(runs, "delivered", "Fan-out: delivered vs players", "delivered %", RunResult::deliveredPercent));
        md.append(vsPlayers(runs, "p99", "Fan-out: p99 latency vs players", "p99 ms", r -> r.latencyP99Micros() / 1000.0));
        md.append(vsPlayers(runs, "cpu", "Fan-out: relay CPU vs players", "% of one core", RunResult::relayCpuPercentOfCore));
        md.append(vsPlayers(runs, "rss", "Fan-out: relay RSS vs players", "RSS MiB", r -> r.relayResidentBytes() / MIB));
        if (!slow.isEmpty()) {
            Plot plot = Plot.lines("One stalled subscriber: relay RSS over time", "seconds since the stall began", "RSS MiB").yFromZero();
            for (SlowSubscriberRun.Result r : slow) {
                double[] t = r.samples().stream().mapToDouble(SlowSubscriberRun.Sample::seconds).toArray();
                double[] rss = r.samples().stream().mapToDouble(s -> s.residentBytes() / MIB).toArray();
                plot.series(r.relay() + " #" + r.repeat(), t, rss);
            }
            plot.save(out.resolve("fanout-slow-rss.png"));
            md.append("![relay RSS while one subscriber is stalled](fanout-slow-rss.png)\n\n");
        }
        return md.toString();
    }

    private String vsPlayers(List<RunResult> runs, String name, String title, String yLabel, ToDoubleFunction<RunResult> figure)
            throws IOException {
        Plot plot = Plot.lines(title, "players", yLabel).logX();
        if (!name.equals("delivered")) plot.yFromZero();
        for (RelayKind k : kinds) {
            List<Integer> counts = playerCounts.stream().filter(n -> !at(runs, k, n).isEmpty()).toList();
            if (counts.isEmpty()) continue;
            double[] x = counts.stream().mapToDouble(Integer::doubleValue).toArray();
            double[] y = new double[x.length];
            double[] spread = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                Spread s = spread(at(runs, k, counts.get(i)), figure);
                y[i] = s.median();
                spread[i] = s.halfRange();
            }
            plot.series(k.label, x, y, spread);
        }
        String file = "fanout-" + name + ".png";
        plot.save(out.resolve(file));
        return "![" + title + "](" + file + ")\n\n";
    }

    /** Heap after a full GC at the end of the stall minus before the players joined, MiB; none for Node. */
    private static Spread heapGrowth(List<SlowSubscriberRun.Result> rs) {
        return spread(rs, r -> r.heapAfterGcStartBytes() < 0 ? -1
                : Math.max(0, r.heapAfterGcEndBytes() - r.heapAfterGcStartBytes()) / MIB);
    }

    /** RSS slope over the second half of the stall, MiB/s; may be negative (a GC shrinking the heap). */
    private static Spread slope(List<SlowSubscriberRun.Result> rs) {
        return Spread.of(rs.stream().mapToDouble(r -> r.residentSlopeLastHalfBytesPerSecond() / MIB).toArray());
    }

    /** The spread of one figure over runs, leaving out runs where it was not measured (-1). */
    static <T> Spread spread(Collection<T> runs, ToDoubleFunction<T> figure) {
        return Spread.of(runs.stream().mapToDouble(figure).map(v -> v < 0 ? Double.NaN : v).toArray());
    }

    private static List<RunResult> at(List<RunResult> runs, RelayKind k, int players) {
        return runs.stream().filter(r -> r.relay().equals(k.label) && r.players() == players).toList();
    }

    private static String nodeVersion() {
        try {
            Process p = new ProcessBuilder("/usr/bin/node", "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return v;
        } catch (IOException | InterruptedException e) {
            return "(version unknown)";
        }
    }
}
