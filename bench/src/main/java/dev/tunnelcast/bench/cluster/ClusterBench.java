package dev.tunnelcast.bench.cluster;

import dev.tunnelcast.bench.fanout.BenchClock;
import dev.tunnelcast.bench.fanout.StreamProfile;
import dev.tunnelcast.bench.fanout.SyntheticPublisher;
import dev.tunnelcast.bench.harness.ProcStat;
import dev.tunnelcast.bench.harness.PrometheusText;
import dev.tunnelcast.bench.harness.RelayProcess;
import dev.tunnelcast.bench.latency.ForeignCpu;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What the cluster adds to one stream (issue 16): a real {@code nats-server} (JetStream on) and
 * three relay nodes, each in its own JVM from the shaded jar, on loopback; one synthetic
 * 2.5 Mbit/s 720p30 stream published on node n1; its players spread over 1, 2 or 3 nodes (n1
 * always among them). Per run: the hop's added latency (a packet's arrival on another node's
 * player minus its first arrival on n1's), end-to-end latency on n1 and elsewhere, CPU of every
 * node and of NATS, and NATS's own message and byte counters ({@code /varz}) over the window.
 * Every wait is bounded: a node that does not start in 120 s, or a player that does not
 * connect in 10 s, ends the benchmark.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Measure the node -> NATS -> node hop: added latency, CPU per node, NATS traffic per stream.")
public final class ClusterBench implements Callable<Integer> {

    static final String PUBLISHING_NODE = "n1";
    private static final List<String> NODES = List.of("n1", "n2", "n3");
    private static final String CLUSTER_DROPPED = "tunnelcast_cluster_dropped_total";

    @Option(names = "--players", defaultValue = "6", description = "Players in all, spread evenly over the nodes with players (default: ${DEFAULT-VALUE}).")
    int players;

    @Option(names = "--nodes-with-players", split = ",", defaultValue = "1,2,3",
            description = "Over how many nodes the players are spread, n1 first (default: ${DEFAULT-VALUE}).")
    List<Integer> spreads;

    @Option(names = "--repeats", defaultValue = "3", description = "Runs per spread (default: ${DEFAULT-VALUE}); about 3 min in all with the defaults.")
    int repeats;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured window per run (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup", defaultValue = "3", description = "Seconds between the players' connection and the window (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--relay-jar", defaultValue = "server/target/tunnelcast-relay.jar")
    Path relayJar;

    @Option(names = "--out", description = "Results folder (default: bench/results/<date>).")
    Path out;

    /** One measured run: {@code cpuPercent} per process (n1, n2, n3, nats, bench), 100 = one core. */
    record Run(int nodesWithPlayers, Map<String, Integer> playersByNode, double windowSeconds, HopFigures latency,
               Map<String, Double> cpuPercent, double natsInMbps, double natsOutMbps, double natsInMsgsPerSecond,
               double natsOutMsgsPerSecond, double clusterDropped, double otherCores) {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ClusterBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (out == null) {
            out = Path.of("bench", "results", LocalDate.now().toString());
        }
        Path raw = out.resolve("raw").resolve("cluster");
        Files.createDirectories(raw);
        String loadAtStart = Files.readString(Path.of("/proc/loadavg")).trim();
        long startNanos = System.nanoTime();
        List<Run> runs = new ArrayList<>();
        try (NatsProcess nats = new NatsProcess(raw.resolve("nats"))) {
            Map<String, RelayProcess> nodes = new LinkedHashMap<>();
            try {
                for (String name : NODES) {
                    nodes.put(name, new RelayProcess(relayJar, raw.resolve(name + ".log"), List.of("-Xmx512m"),
                            List.of("--cluster", nats.url(), "--node-name", name)));
                }
                for (int repeat = 0; repeat < repeats; repeat++) {
                    for (int spread : spreads) {
                        Run run = runOnce(nats, nodes, spread, "hop-" + spread + "-" + repeat);
                        runs.add(run);
                        System.out.printf("players %s: hop p50 %.3f ms p99 %.3f ms (%d samples), CPU %s, NATS in %.2f"
                                        + " out %.2f Mbit/s, other processes %.2f cores%n", run.playersByNode(),
                                run.latency().hopP50Millis(), run.latency().hopP99Millis(), run.latency().hopSamples(),
                                run.cpuPercent(), run.natsInMbps(), run.natsOutMbps(), run.otherCores());
                    }
                }
            } finally {
                nodes.values().forEach(RelayProcess::close);
            }
        }
        new ClusterReport(out, command(), loadAtStart, (System.nanoTime() - startNanos) / 1e9, spreads, repeats)
                .write(runs);
        return 0;
    }

    private Run runOnce(NatsProcess nats, Map<String, RelayProcess> nodes, int spread, String stream) throws Exception {
        Map<String, Integer> playersByNode = spreadPlayers(spread);
        List<HopPlayer> hopPlayers = new ArrayList<>();
        try (SyntheticPublisher publisher = new SyntheticPublisher(
                URI.create("ws://127.0.0.1:" + nodes.get(PUBLISHING_NODE).port() + "/ws/publish/" + stream),
                StreamProfile.hd720p30())) {
            try {
                for (Map.Entry<String, Integer> e : playersByNode.entrySet()) {
                    for (int i = 0; i < e.getValue(); i++) {
                        hopPlayers.add(HopPlayer.connect(e.getKey(),
                                URI.create("ws://127.0.0.1:" + nodes.get(e.getKey()).port() + "/ws/play/" + stream)));
                    }
                }
                hopPlayers.forEach(p -> p.measuring(true));
                Thread.sleep(warmupSeconds * 1000L);
                Map<String, Double> cpu0 = cpuSeconds(nats, nodes);
                NatsProcess.Traffic traffic0 = nats.traffic();
                double dropped0 = dropped(nodes);
                ForeignCpu others = ForeignCpu.start();
                long fromMicros = BenchClock.nowMicros();
                long t0 = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                double window = (System.nanoTime() - t0) / 1e9;
                long toMicros = BenchClock.nowMicros();
                Map<String, Double> cpu1 = cpuSeconds(nats, nodes);
                NatsProcess.Traffic traffic1 = nats.traffic();
                double otherCores = others.coresUsed();
                Thread.sleep(2000); // the window's last packets reach every node
                hopPlayers.forEach(p -> p.measuring(false));
                Map<String, Double> cpuPercent = new LinkedHashMap<>();
                cpu1.forEach((name, s) -> cpuPercent.put(name, 100 * (s - cpu0.get(name)) / window));
                return new Run(spread, playersByNode, window,
                        HopFigures.of(PUBLISHING_NODE, hopPlayers.stream()
                                .map(p -> new HopFigures.Received(p.node(), p.arrivals())).toList(), fromMicros, toMicros),
                        cpuPercent,
                        (traffic1.inBytes() - traffic0.inBytes()) * 8 / 1e6 / window,
                        (traffic1.outBytes() - traffic0.outBytes()) * 8 / 1e6 / window,
                        (traffic1.inMsgs() - traffic0.inMsgs()) / window,
                        (traffic1.outMsgs() - traffic0.outMsgs()) / window, dropped(nodes) - dropped0, otherCores);
            } finally {
                hopPlayers.forEach(HopPlayer::close);
            }
        }
    }

    /** {@code players} over the first {@code spread} nodes, as evenly as they go (n1 gets the remainder first). */
    private Map<String, Integer> spreadPlayers(int spread) {
        if (spread < 1 || spread > NODES.size() || players < spread) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--nodes-with-players must be 1 to 3, and --players at least that");
        }
        Map<String, Integer> byNode = new LinkedHashMap<>();
        for (int i = 0; i < spread; i++) {
            byNode.put(NODES.get(i), players / spread + (i < players % spread ? 1 : 0));
        }
        return byNode;
    }

    private static Map<String, Double> cpuSeconds(NatsProcess nats, Map<String, RelayProcess> nodes) throws Exception {
        Map<String, Double> cpu = new LinkedHashMap<>();
        for (Map.Entry<String, RelayProcess> e : nodes.entrySet()) {
            cpu.put(e.getKey(), e.getValue().cpuSeconds());
        }
        cpu.put("nats", ProcStat.cpuSeconds(nats.pid()));
        cpu.put("bench", ProcStat.cpuSeconds(ProcessHandle.current().pid()));
        return cpu;
    }

    private static double dropped(Map<String, RelayProcess> nodes) throws Exception {
        double sum = 0;
        for (RelayProcess node : nodes.values()) {
            sum += PrometheusText.sum(node.metrics(), CLUSTER_DROPPED);
        }
        return sum;
    }

    private String command() {
        return "bench/run cluster --players " + players + " --nodes-with-players "
                + String.join(",", spreads.stream().map(String::valueOf).toList()) + " --repeats " + repeats
                + " --seconds " + seconds + " --warmup " + warmupSeconds;
    }
}
