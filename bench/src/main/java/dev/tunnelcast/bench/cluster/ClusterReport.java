package dev.tunnelcast.bench.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tunnelcast.bench.cluster.ClusterBench.Run;
import dev.tunnelcast.bench.harness.MachineInfo;
import dev.tunnelcast.bench.report.Conditions;
import dev.tunnelcast.bench.report.Plot;
import dev.tunnelcast.bench.report.Spread;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** {@code cluster.json}, {@code cluster.md} and its plots from the runs of {@link ClusterBench}. */
final class ClusterReport {

    private static final List<String> PROCESSES = List.of("n1", "n2", "n3", "nats");

    private final Path out;
    private final String command;
    private final String loadAtStart;
    private final double seconds;
    private final List<Integer> spreads;
    private final int repeats;

    ClusterReport(Path out, String command, String loadAtStart, double seconds, List<Integer> spreads, int repeats) {
        this.out = out;
        this.command = command;
        this.loadAtStart = loadAtStart;
        this.seconds = seconds;
        this.spreads = spreads;
        this.repeats = repeats;
    }

    void write(List<Run> runs) throws IOException {
        String machine = MachineInfo.describe();
        String loadAtEnd = Files.readString(Path.of("/proc/loadavg")).trim();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "cluster");
        doc.put("command", command);
        doc.put("machine", machine);
        doc.put("loadAverageAtStart", loadAtStart);
        doc.put("loadAverageAtEnd", loadAtEnd);
        doc.put("seconds", seconds);
        doc.put("runs", runs);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("cluster.json").toFile(), doc);

        double maxOther = runs.stream().mapToDouble(Run::otherCores).max().orElse(Double.NaN);
        StringBuilder md = new StringBuilder("## Cluster: the node → NATS → node hop\n\n")
                .append("One synthetic 720p30 stream at 2.5 Mbit/s (1 s GOP, keyframes 8× a delta frame, Opus-sized audio")
                .append(" at 50 packets/s), paced in real time and published on node n1; a real `nats-server` (Debian's,")
                .append(" JetStream on) and three relay nodes (`serve --cluster`, each its own JVM from the shaded jar) on")
                .append(" loopback; the players (real WebSockets) spread evenly over 1, 2 or 3 nodes, n1 always among")
                .append(" them. The publisher and the players live in the benchmark's JVM and stamp on one clock (µs).")
                .append(" **Hop** = a packet's arrival at a player of n2 or n3 minus its first arrival at a player of n1:")
                .append(" what the way through NATS adds to the local fan-out. **End to end** = publisher's send to a")
                .append(" player's read. CPU: utime+stime of each process over the window (100 % = one core). NATS")
                .append(" traffic: the server's `/varz` counters over the window (the directory's few key-value requests")
                .append(" included). Cells: median of ").append(repeats).append(" runs (min–max); total ")
                .append(String.format(Locale.ROOT, "%.0f", seconds)).append(" s.\n\n")
                .append(Conditions.markdown(command, machine, loadAtStart, maxOther, "run's window"))
                .append("Load average at the end: ").append(loadAtEnd).append("\n\n")
                .append("| nodes with players | players per node | hop p50 ms | hop p99 ms | end to end on n1 p50 / p99 ms")
                .append(" | end to end elsewhere p50 / p99 ms | CPU % n1 | CPU % n2 | CPU % n3 | CPU % nats")
                .append(" | NATS in Mbit/s | NATS out Mbit/s | NATS msgs in/s | NATS msgs out/s | cluster drops |\n")
                .append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int spread : spreads) {
            List<Run> of = runs.stream().filter(r -> r.nodesWithPlayers() == spread).toList();
            if (of.isEmpty()) {
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s / %s | %s / %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    spread, of.get(0).playersByNode(), spread(of, r -> r.latency().hopP50Millis()).format(2),
                    spread(of, r -> r.latency().hopP99Millis()).format(2), spread(of, r -> r.latency().localP50Millis()).format(2),
                    spread(of, r -> r.latency().localP99Millis()).format(2), spread(of, r -> r.latency().remoteP50Millis()).format(2),
                    spread(of, r -> r.latency().remoteP99Millis()).format(2), cpu(of, "n1").format(1), cpu(of, "n2").format(1),
                    cpu(of, "n3").format(1), cpu(of, "nats").format(1), spread(of, Run::natsInMbps).format(2),
                    spread(of, Run::natsOutMbps).format(2), spread(of, Run::natsInMsgsPerSecond).format(0),
                    spread(of, Run::natsOutMsgsPerSecond).format(0), spread(of, Run::clusterDropped).format(0)));
        }
        md.append('\n').append(headline(runs)).append("\n\n");
        plots(runs, md);
        md.append(CANNOT_SHOW).append(PAPER_SIZING);
        Files.writeString(out.resolve("cluster.md"), md);
        System.out.println();
        System.out.print(md);
        System.out.println("\nWrote " + out.resolve("cluster.json") + " and " + out.resolve("cluster.md"));
    }

    private String headline(List<Run> runs) {
        int widest = spreads.stream().mapToInt(Integer::intValue).max().orElse(1);
        List<Run> of = runs.stream().filter(r -> r.nodesWithPlayers() == widest).toList();
        List<Run> local = runs.stream().filter(r -> r.nodesWithPlayers() == 1).toList();
        if (widest < 2 || of.isEmpty()) {
            return "**Headline:** no run had players on a second node: nothing crossed NATS to measure.";
        }
        return String.format(Locale.ROOT, "**Headline:** on loopback, the node → NATS → node hop adds %s ms at p50 and"
                        + " %s ms at p99 to one 2.5 Mbit/s stream (players on %d nodes, median of %d runs, load average %s"
                        + " at the start); NATS takes the stream in once (%s Mbit/s) and sends it out once per other node"
                        + " with players (%s Mbit/s for %d); the publishing node's CPU is %s %% of a core with players on"
                        + " %d nodes against %s %% with all on it.",
                spread(of, r -> r.latency().hopP50Millis()).format(2), spread(of, r -> r.latency().hopP99Millis()).format(2),
                widest, of.size(), loadAtStart.split(" ")[0], spread(of, Run::natsInMbps).format(2),
                spread(of, Run::natsOutMbps).format(2), widest - 1, cpu(of, "n1").format(1), widest,
                local.isEmpty() ? "—" : cpu(local, "n1").format(1));
    }

    private void plots(List<Run> runs, StringBuilder md) throws IOException {
        List<Integer> crossing = spreads.stream().filter(s -> s > 1).toList();
        if (!crossing.isEmpty()) {
            double[] x = crossing.stream().mapToDouble(Integer::doubleValue).toArray();
            Plot hop = Plot.lines("Added latency of the node → NATS → node hop (median of runs; bars: half the range)",
                    "nodes with players", "ms").yFromZero();
            for (int percentile : List.of(50, 99)) {
                double[] y = new double[x.length];
                double[] bars = new double[x.length];
                for (int i = 0; i < x.length; i++) {
                    int spread = crossing.get(i);
                    Spread s = spread(runs.stream().filter(r -> r.nodesWithPlayers() == spread).toList(),
                            r -> percentile == 50 ? r.latency().hopP50Millis() : r.latency().hopP99Millis());
                    y[i] = s.median();
                    bars[i] = s.halfRange();
                }
                hop.series("hop p" + percentile, x, y, bars);
            }
            hop.save(out.resolve("cluster-hop.png"));
            md.append("![added latency of the hop](cluster-hop.png)\n\n");
        }
        double[] x = spreads.stream().mapToDouble(Integer::doubleValue).toArray();
        Plot cpu = Plot.lines("CPU per process, one 2.5 Mbit/s stream (median of runs; bars: half the range)",
                "nodes with players", "% of one core").yFromZero();
        for (String process : PROCESSES) {
            double[] y = new double[x.length];
            double[] bars = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                int spread = spreads.get(i);
                Spread s = cpu(runs.stream().filter(r -> r.nodesWithPlayers() == spread).toList(), process);
                y[i] = s.median();
                bars[i] = s.halfRange();
            }
            cpu.series(process, x, y, bars);
        }
        cpu.save(out.resolve("cluster-cpu.png"));
        md.append("![CPU per process](cluster-cpu.png)\n\n");
    }

    private static Spread spread(List<Run> runs, ToDoubleFunction<Run> figure) {
        return Spread.of(runs.stream().mapToDouble(figure).toArray());
    }

    private static Spread cpu(List<Run> runs, String process) {
        return spread(runs, r -> r.cpuPercent().getOrDefault(process, Double.NaN));
    }

    private static final String CANNOT_SHOW = """
            **What this 2-core machine cannot show.** Every process here (NATS, three relay JVMs, the publisher and
            the players) shares the same two cores with each other and with other sessions' builds, so the hop's
            p99 mostly measures scheduling delay (a thread waiting for a core), not NATS; a LAN adds its own round
            (tens of µs to a few hundred) that loopback hides; one stream and a handful of players say nothing about
            a node's capacity (bench/run fanout measures that on one relay); and the three nodes are not three
            machines: there is no network between them to fill, no NIC, no second NATS server (a NATS cluster of
            three routes each message once more between servers), and no failure to measure. Figures for 100,000
            viewers can only come from arithmetic, below.

            """;

    private static final String PAPER_SIZING = """
            **Sizing on paper (docs/cluster.md): 100,000 viewers of one 2.5 Mbit/s stream.** Egress: 100,000 ×
            2.5 Mbit/s = 250 Gbit/s leave the relays, whatever their number. Nodes: a 2-core relay serves ~1,000
            players, so 100 such nodes; a node with a 10 GbE port is bounded by the port at ~4,000 players (about
            2,800 at a 70 % target) and needs ~8 cores at the measured cost per player: ~36 nodes. NATS: the stream
            enters once (2.5 Mbit/s, ~80 messages/s with audio) and leaves once per node: 36–100 × 2.5 Mbit/s =
            90–250 Mbit/s and 3,000–8,000 messages/s in all, spread over three NATS servers, as the table's
            "NATS out" grows by one stream per node with players. The directory costs a few key-value requests per
            node every few seconds.
            """;
}
