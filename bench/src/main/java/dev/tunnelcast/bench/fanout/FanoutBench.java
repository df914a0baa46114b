package dev.tunnelcast.bench.fanout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import dev.tunnelcast.bench.harness.MachineInfo;
import dev.tunnelcast.bench.harness.PrometheusText;
import dev.tunnelcast.bench.harness.RelayProcess;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Relay fan-out benchmark: one synthetic 720p30 publisher (2.5 Mbit/s video + Opus-sized
 * audio), N players in this process, the relay in its own JVM. Prints a table of medians
 * over repeats and writes every run to {@code fanout.json} and {@code fanout.md}.
 */
@Command(name = "fanout", mixinStandardHelpOptions = true,
        description = "Measure relay fan-out: delivery, latency, CPU and heap per player.")
public final class FanoutBench implements Callable<Integer> {
    /** The relay's own histogram: relay receive → socket write completed, per message and player. */
    private static final String RELAY_LATENCY = "tunnelcast_relay_latency_seconds";

    @Option(names = "--players", split = ",", defaultValue = "10,100,500,1000",
            description = "Player counts to measure (default: ${DEFAULT-VALUE}).")
    List<Integer> playerCounts;

    @Option(names = "--seconds", defaultValue = "15", description = "Measured window per run (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup", defaultValue = "5", description = "Seconds before measuring (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--repeats", defaultValue = "3", description = "Runs per player count (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--stalled", defaultValue = "0",
            description = "Players that stop reading after Welcome (slow-player case; default: ${DEFAULT-VALUE}).")
    int stalledPlayers;

    @Option(names = "--relay-jar", defaultValue = "server/target/tunnelcast-relay.jar")
    Path relayJar;

    @Option(names = "--out", description = "Results folder (default: bench/results/<date>).")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FanoutBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (out == null) out = Path.of("bench", "results", LocalDate.now().toString());
        Files.createDirectories(out);
        List<RunResult> runs = new ArrayList<>();
        for (int players : playerCounts) {
            for (int repeat = 1; repeat <= repeats; repeat++) {
                RunResult r = runOnce(players, repeat);
                runs.add(r);
                System.out.printf("players=%d repeat=%d delivered=%.3f%% p50=%.2fms p99=%.2fms relay-own-p99<=%.2fms relayCpu=%.0f%% heap/player=%.1fKiB drops=%.0f closes=%s%n",
                        r.players(), repeat, r.deliveredPercent(), r.latencyP50Micros() / 1000.0,
                        r.latencyP99Micros() / 1000.0, r.relayOwnP99Micros() / 1000.0, r.relayCpuPercentOfCore(), r.heapPerPlayerBytes() / 1024.0,
                        r.relayDrops(), r.closeCodes());
            }
        }
        writeResults(runs);
        return 0;
    }

    private RunResult runOnce(int players, int repeat) throws Exception {
        StreamProfile profile = StreamProfile.hd720p30();
        Path log = out.resolve("raw").resolve("relay-" + players + "-" + repeat + ".log");
        try (RelayProcess relay = new RelayProcess(relayJar, log, List.of(), List.of());
             SyntheticPublisher publisher = new SyntheticPublisher(
                     URI.create("ws://127.0.0.1:" + relay.port() + "/ws/publish/bench"), profile)) {
            Thread.sleep(1000);
            long heapBefore = relay.heapUsedAfterGcBytes();
            try (SubscriberSwarm swarm = new SubscriberSwarm(new InetSocketAddress("127.0.0.1", relay.port()),
                    "bench", players, stalledPlayers)) {
                if (!swarm.awaitConnected(60, TimeUnit.SECONDS)) throw new IllegalStateException("players did not all connect");
                Thread.sleep(warmupSeconds * 1000L);
                long firstVideo = publisher.nextVideoSequence();
                long firstAudio = publisher.nextAudioSequence();
                swarm.startMeasuring(firstVideo, firstAudio);
                String metrics0 = relay.metrics();
                double relayCpu0 = relay.cpuSeconds();
                double benchCpu0 = benchCpuSeconds();
                long t0 = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                double window = (System.nanoTime() - t0) / 1e9;
                double relayCpu = relay.cpuSeconds() - relayCpu0;
                double benchCpu = benchCpuSeconds() - benchCpu0;
                String metrics1 = relay.metrics();
                var latency0 = PrometheusText.buckets(metrics0, RELAY_LATENCY);
                var latency1 = PrometheusText.buckets(metrics1, RELAY_LATENCY);
                publisher.stopSending();
                Thread.sleep(2000); // drain what is in flight (the pacer may finish one last send)
                long sent = (publisher.nextVideoSequence() - firstVideo) + (publisher.nextAudioSequence() - firstAudio);
                swarm.stopMeasuring();
                long heapWith = relay.heapUsedAfterGcBytes();
                long rss = relay.residentBytes();
                double drops = PrometheusText.sum(relay.metrics(), "tunnelcast_drops_total");
                SubscriberSwarm.Snapshot s = swarm.snapshot();
                long delivered = s.deliveredPerHealthyPlayer().stream().mapToLong(Long::longValue).sum();
                int healthy = s.deliveredPerHealthyPlayer().size();
                Histogram h = s.latencyMicros();
                return new RunResult(players, stalledPlayers, repeat, window, sent,
                        healthy == 0 ? 0 : 100.0 * delivered / ((double) healthy * sent),
                        h.getValueAtPercentile(50), h.getValueAtPercentile(95), h.getValueAtPercentile(99),
                        h.getMaxValue(),
                        (long) (PrometheusText.percentileBetween(latency0, latency1, 50) * 1e6),
                        (long) (PrometheusText.percentileBetween(latency0, latency1, 99) * 1e6),
                        100 * relayCpu / window, 100 * benchCpu / window,
                        (heapWith - heapBefore) / players, heapWith, rss, drops, s.closeCodes().toString());
            }
        }
    }

    private static double benchCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    private void writeResults(List<RunResult> runs) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "fanout");
        doc.put("command", "./tunnelcast bench fanout " + String.join(" ", commandLine()));
        doc.put("machine", MachineInfo.describe());
        doc.put("runs", runs);
        json.writeValue(out.resolve("fanout.json").toFile(), doc);

        StringBuilder md = new StringBuilder("# Relay fan-out\n\n");
        md.append("Command: `").append(doc.get("command")).append("`  \nMachine: ").append(doc.get("machine"))
                .append("\n\nOne publisher (720p30, 2.5 Mbit/s video with a keyframe each second, 50 audio packets/s);")
                .append(" N players in the benchmark's JVM on one selector thread; the relay in its own JVM (-Xmx1g).")
                .append(" Latency is publisher send → player receive on one clock (so it includes both loopback hops);")
                .append(" CPU is the relay process's utime+stime over the window (100 % = one core);")
                .append(" heap/player is (heap after full GC with the players − before) / N.")
                .append(" \"relay-own p99\" is the relay's histogram (receive → socket write completed), read as the upper bound of its bucket.")
                .append(" Medians over ").append(repeats).append(" runs of ").append(seconds).append(" s (min–max in brackets).\n\n")
                .append("| players | delivered % | p50 ms | p95 ms | p99 ms | relay-own p99 ms ≤ | relay CPU % | bench CPU % | heap/player KiB | relay RSS MiB | drops |\n")
                .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int players : playerCounts) {
            List<RunResult> at = runs.stream().filter(r -> r.players() == players).toList();
            md.append("| ").append(players)
                    .append(" | ").append(stat(at, RunResult::deliveredPercent, "%.3f"))
                    .append(" | ").append(stat(at, r -> r.latencyP50Micros() / 1000.0, "%.2f"))
                    .append(" | ").append(stat(at, r -> r.latencyP95Micros() / 1000.0, "%.2f"))
                    .append(" | ").append(stat(at, r -> r.latencyP99Micros() / 1000.0, "%.2f"))
                    .append(" | ").append(stat(at, r -> r.relayOwnP99Micros() / 1000.0, "%.2f"))
                    .append(" | ").append(stat(at, RunResult::relayCpuPercentOfCore, "%.0f"))
                    .append(" | ").append(stat(at, RunResult::benchCpuPercentOfCore, "%.0f"))
                    .append(" | ").append(stat(at, r -> r.heapPerPlayerBytes() / 1024.0, "%.1f"))
                    .append(" | ").append(stat(at, r -> r.relayResidentBytes() / 1048576.0, "%.0f"))
                    .append(" | ").append(stat(at, RunResult::relayDrops, "%.0f")).append(" |\n");
        }
        Files.writeString(out.resolve("fanout.md"), md);
        System.out.println();
        System.out.print(md);
        System.out.println("\nWrote " + out.resolve("fanout.json") + " and " + out.resolve("fanout.md"));
    }

    private static String stat(List<RunResult> runs, ToDoubleFunction<RunResult> f, String format) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        if (v.length == 0) return "–";
        String median = String.format(format, v[v.length / 2]);
        return v.length == 1 ? median : median + " (" + String.format(format, v[0]) + "–" + String.format(format, v[v.length - 1]) + ")";
    }

    private List<String> commandLine() {
        return List.of("--players", String.join(",", playerCounts.stream().map(String::valueOf).toList()),
                "--seconds", Integer.toString(seconds), "--repeats", Integer.toString(repeats),
                "--stalled", Integer.toString(stalledPlayers));
    }
}
