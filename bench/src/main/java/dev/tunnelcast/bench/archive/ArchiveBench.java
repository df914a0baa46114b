package dev.tunnelcast.bench.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import dev.tunnelcast.bench.harness.MachineInfo;
import dev.tunnelcast.bench.harness.PrometheusText;
import dev.tunnelcast.bench.harness.RelayProcess;
import dev.tunnelcast.bench.report.Plot;
import dev.tunnelcast.bench.report.Spread;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What recording costs the relay: its CPU with and without {@code --record-dir} while N
 * publishers send real H.264 (640x360, 30 fps, 2 s GOP) + Opus in real time, and what each
 * {@code --record-fsync} policy adds (CPU, packet write latency from the relay's histogram,
 * fsyncs, throughput). The relay runs in its own JVM from the shaded jar; CPU is its
 * utime+stime over the window (100 % = one core).
 */
@Command(name = "archive", mixinStandardHelpOptions = true,
        description = "Measure relay CPU with and without recording at several stream counts.")
public final class ArchiveBench implements Callable<Integer> {

    private static final String WRITTEN = "tunnelcast_archive_bytes_written_bytes_total";
    private static final String DROPPED = "tunnelcast_archive_queue_dropped_total";
    private static final String PACKET_WRITE = "tunnelcast_archive_packet_write_seconds";
    private static final String FSYNC = "tunnelcast_archive_fsync_seconds";

    @Option(names = "--streams", split = ",", defaultValue = "1,10,50", description = "Stream counts (default: ${DEFAULT-VALUE}).")
    List<Integer> streamCounts;

    @Option(names = "--repeats", defaultValue = "3", description = "Runs per stream count and mode (default: ${DEFAULT-VALUE}); about 5 min in all with the defaults.")
    int repeats;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured window per run (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup", defaultValue = "4", description = "Seconds before measuring (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--fsync", split = ",", defaultValue = "fragment,segment,none",
            description = "--record-fsync policies to compare; the first is the one of the CPU table (default: ${DEFAULT-VALUE}).")
    List<String> fsyncPolicies;

    @Option(names = "--relay-jar", defaultValue = "server/target/tunnelcast-relay.jar")
    Path relayJar;

    @Option(names = "--relay-jvm-arg", description = "Extra JVM option for the relay, e.g. a JFR recording (repeatable).")
    List<String> relayJvmArgs = List.of();

    @Option(names = "--out", description = "Results folder (default: bench/results/<date>).")
    Path out;

    private String loadAtStart;

    /** One measured run; {@code fsync} is the policy, or null when not recording. */
    record Run(int streams, boolean recording, String fsync, double windowSeconds, long packetsSent,
               double relayCpuPercentOfCore, double archiveMegabytesPerSecond, double archiveQueueDropped,
               double packetWriteP50Millis, double packetWriteP99Millis, double fsyncsPerSecond, double fsyncMeanMillis) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new ArchiveBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (out == null) {
            out = Path.of("bench", "results", LocalDate.now().toString());
        }
        Files.createDirectories(out.resolve("raw"));
        loadAtStart = Files.readString(Path.of("/proc/loadavg")).trim();
        EncodedMedia media = EncodedMedia.encode(out.resolve("raw").resolve("archive-media"), 10);
        List<Run> runs = new ArrayList<>();
        for (int repeat = 0; repeat < repeats; repeat++) {
            for (int streams : streamCounts) {
                List<String> modes = new ArrayList<>();
                modes.add(null); // not recording
                modes.addAll(fsyncPolicies);
                for (String fsync : modes) {
                    Run run = runOnce(media, streams, fsync);
                    runs.add(run);
                    System.out.printf("streams=%d fsync=%s relayCpu=%.1f%% archive=%.2f MB/s dropped=%.0f"
                                    + " write p50=%.3f ms p99=%.3f ms fsyncs=%.1f/s (mean %.2f ms)%n",
                            streams, fsync == null ? "(not recording)" : fsync, run.relayCpuPercentOfCore(),
                            run.archiveMegabytesPerSecond(), run.archiveQueueDropped(), run.packetWriteP50Millis(),
                            run.packetWriteP99Millis(), run.fsyncsPerSecond(), run.fsyncMeanMillis());
                }
            }
        }
        write(runs);
        return 0;
    }

    private Run runOnce(EncodedMedia media, int streams, String fsync) throws Exception {
        boolean recording = fsync != null;
        Path archive = Files.createTempDirectory("tunnelcast-archive-bench");
        List<String> relayArgs = recording ? List.of("--record-dir", archive.toString(), "--record-segment", "1m",
                "--record-fsync", fsync) : List.of();
        Path log = out.resolve("raw").resolve("archive-relay-" + streams + (recording ? "-" + fsync : "") + ".log");
        HttpClient http = HttpClient.newHttpClient();
        List<MediaPublisher> publishers = new ArrayList<>();
        try (RelayProcess relay = new RelayProcess(relayJar, log, relayJvmArgs, relayArgs)) {
            try {
                for (int i = 0; i < streams; i++) {
                    publishers.add(new MediaPublisher(http,
                            URI.create("ws://127.0.0.1:" + relay.port() + "/ws/publish/bench-" + i), media, "publisher-" + i));
                }
                Thread.sleep(warmupSeconds * 1000L);
                String metrics0 = relay.metrics();
                long sent0 = publishers.stream().mapToLong(MediaPublisher::packetsSent).sum();
                double cpu0 = relay.cpuSeconds();
                long t0 = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                double window = (System.nanoTime() - t0) / 1e9;
                double cpu = relay.cpuSeconds() - cpu0;
                long sent = publishers.stream().mapToLong(MediaPublisher::packetsSent).sum() - sent0;
                String metrics1 = relay.metrics();
                for (MediaPublisher p : publishers) {
                    p.check();
                }
                double written = PrometheusText.sum(metrics1, WRITTEN) - PrometheusText.sum(metrics0, WRITTEN);
                double fsyncs = delta(metrics0, metrics1, FSYNC + "_count");
                return new Run(streams, recording, fsync, window, sent, 100 * cpu / window, written / window / 1e6,
                        PrometheusText.sum(metrics1, DROPPED), writeMillis(metrics0, metrics1, 50),
                        writeMillis(metrics0, metrics1, 99), fsyncs / window,
                        fsyncs == 0 ? 0 : 1000 * delta(metrics0, metrics1, FSYNC + "_sum") / fsyncs);
            } finally {
                for (MediaPublisher p : publishers) {
                    p.close();
                }
            }
        } finally {
            deleteTree(archive);
        }
    }

    private static double delta(String before, String after, String metric) {
        return PrometheusText.sum(after, metric) - PrometheusText.sum(before, metric);
    }

    /** A percentile of the relay's packet write time in the window, in ms (NaN when not recording). */
    private static double writeMillis(String before, String after, double percentile) {
        return 1000 * PrometheusText.percentileBetween(PrometheusText.buckets(before, PACKET_WRITE),
                PrometheusText.buckets(after, PACKET_WRITE), percentile);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    private void write(List<Run> runs) throws IOException {
        String commandLine = "bench/run archive --streams " + String.join(",", streamCounts.stream().map(String::valueOf).toList())
                + " --seconds " + seconds + " --warmup " + warmupSeconds + " --repeats " + repeats
                + " --fsync " + String.join(",", fsyncPolicies);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "archive");
        doc.put("command", commandLine);
        doc.put("machine", MachineInfo.describe());
        doc.put("loadAverageAtStart", loadAtStart);
        doc.put("loadAverageAtEnd", Files.readString(Path.of("/proc/loadavg")).trim());
        doc.put("runs", runs);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("archive.json").toFile(), doc);

        double[] x = streamCounts.stream().mapToDouble(Integer::doubleValue).toArray();
        Plot plot = Plot.lines("Relay CPU with and without recording (median of runs; bars: half the range)",
                "publishers", "relay CPU, % of one core").logX().yFromZero();
        StringBuilder md = new StringBuilder("## Recording: relay CPU with and without the archive\n\n")
                .append("N publishers, each real H.264 640x360 30 fps (x264 ultrafast, 2 s GOP) + Opus 48 kbit/s,")
                .append(" sent in real time over WebSockets from the benchmark's JVM; the relay in its own JVM, no players.")
                .append(" CPU is the relay process's utime+stime over ").append(seconds).append(" s (100 % = one core).")
                .append(" Cells: median of ").append(repeats).append(" runs (min–max).\n\n")
                .append("Command: `").append(commandLine).append("` · machine: ").append(doc.get("machine"))
                .append(" · load average at the start: ").append(loadAtStart)
                .append(", at the end: ").append(doc.get("loadAverageAtEnd")).append("\n\n")
                .append("| streams | relay CPU % without | relay CPU % recording | archive MB/s written | queue drops |\n")
                .append("|---:|---:|---:|---:|---:|\n");
        for (boolean recording : List.of(false, true)) {
            double[] median = new double[x.length];
            double[] spread = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                Spread cpu = cpu(runs, streamCounts.get(i), recording);
                median[i] = cpu.median();
                spread[i] = cpu.halfRange();
            }
            plot.series(recording ? "recording" : "not recording", x, median, spread);
        }
        for (int streams : streamCounts) {
            List<Run> on = runs.stream().filter(r -> r.streams() == streams && r.recording()).toList();
            md.append(String.format("| %d | %s | %s | %s | %s |%n", streams, cpu(runs, streams, false).format(1),
                    cpu(runs, streams, true).format(1),
                    Spread.of(on.stream().mapToDouble(Run::archiveMegabytesPerSecond).toArray()).format(2),
                    Spread.of(on.stream().mapToDouble(Run::archiveQueueDropped).toArray()).format(0)));
        }
        plot.save(out.resolve("archive-cpu.png"));
        md.append("\n![relay CPU with and without recording](archive-cpu.png)\n");
        appendFsyncSection(md, runs);
        Files.writeString(out.resolve("archive.md"), md);
        System.out.println();
        System.out.print(md);
        System.out.println("\nWrote " + out.resolve("archive.json") + " and " + out.resolve("archive.md"));
    }

    /** The policies side by side, each run's figures against the not-recording run beside it. */
    private void appendFsyncSection(StringBuilder md, List<Run> runs) {
        md.append("\n### `--record-fsync`: what forcing fragments to disk costs\n\n")
                .append("Same runs. Per policy: relay CPU, the relay's time to write one packet into its segment")
                .append(" with the fsync the policy asks for (`tunnelcast_archive_packet_write_seconds`, p50/p99 at the")
                .append(" histogram's resolution: an upper bound), fsyncs per second and their mean time")
                .append(" (`tunnelcast_archive_fsync_seconds`), and what reached the archive. Temporary directory on the")
                .append(" machine's disk (").append(fileSystem()).append("). Cells: median (min–max) of ").append(repeats)
                .append(" runs; the machine is shared, so compare rows of one run.\n\n")
                .append("| streams | fsync | relay CPU % | write p50 ms | write p99 ms | fsyncs/s | fsync mean ms | MB/s written | queue drops |\n")
                .append("|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int streams : streamCounts) {
            for (String fsync : fsyncPolicies) {
                List<Run> of = runs.stream().filter(r -> r.streams() == streams && fsync.equals(r.fsync())).toList();
                md.append(String.format("| %d | %s | %s | %s | %s | %s | %s | %s | %s |%n", streams, fsync,
                        spread(of, Run::relayCpuPercentOfCore).format(1), spread(of, Run::packetWriteP50Millis).format(3),
                        spread(of, Run::packetWriteP99Millis).format(3), spread(of, Run::fsyncsPerSecond).format(1),
                        spread(of, Run::fsyncMeanMillis).format(2), spread(of, Run::archiveMegabytesPerSecond).format(2),
                        spread(of, Run::archiveQueueDropped).format(0)));
            }
        }
    }

    private static Spread spread(List<Run> runs, java.util.function.ToDoubleFunction<Run> figure) {
        return Spread.of(runs.stream().mapToDouble(figure).toArray());
    }

    private static String fileSystem() {
        try {
            return Files.getFileStore(Path.of(System.getProperty("java.io.tmpdir"))).type();
        } catch (IOException e) {
            return "file system unknown";
        }
    }

    /** CPU of the runs without recording, or with the first --fsync policy (the default one). */
    private Spread cpu(List<Run> runs, int streams, boolean recording) {
        return Spread.of(runs.stream().filter(r -> r.streams() == streams && r.recording() == recording
                        && (!recording || fsyncPolicies.get(0).equals(r.fsync())))
                .mapToDouble(Run::relayCpuPercentOfCore).toArray());
    }
}
