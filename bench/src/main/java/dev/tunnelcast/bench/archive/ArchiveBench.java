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
 * publishers send real H.264 (640x360, 30 fps, 2 s GOP) + Opus in real time. The relay runs in
 * its own JVM from the shaded jar; CPU is its utime+stime over the window (100 % = one core).
 */
@Command(name = "archive", mixinStandardHelpOptions = true,
        description = "Measure relay CPU with and without recording at several stream counts.")
public final class ArchiveBench implements Callable<Integer> {

    private static final String WRITTEN = "tunnelcast_archive_bytes_written_bytes_total";
    private static final String DROPPED = "tunnelcast_archive_queue_dropped_total";

    @Option(names = "--streams", split = ",", defaultValue = "1,10,50", description = "Stream counts (default: ${DEFAULT-VALUE}).")
    List<Integer> streamCounts;

    @Option(names = "--repeats", defaultValue = "3", description = "Runs per stream count and mode (default: ${DEFAULT-VALUE}); about 5 min in all with the defaults.")
    int repeats;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured window per run (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup", defaultValue = "4", description = "Seconds before measuring (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--relay-jar", defaultValue = "server/target/tunnelcast-relay.jar")
    Path relayJar;

    @Option(names = "--relay-jvm-arg", description = "Extra JVM option for the relay, e.g. a JFR recording (repeatable).")
    List<String> relayJvmArgs = List.of();

    @Option(names = "--out", description = "Results folder (default: bench/results/<date>).")
    Path out;

    /** One measured run. */
    record Run(int streams, boolean recording, double windowSeconds, long packetsSent, double relayCpuPercentOfCore,
               double archiveMegabytesPerSecond, double archiveQueueDropped) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new ArchiveBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (out == null) {
            out = Path.of("bench", "results", LocalDate.now().toString());
        }
        Files.createDirectories(out.resolve("raw"));
        EncodedMedia media = EncodedMedia.encode(out.resolve("raw").resolve("archive-media"), 10);
        List<Run> runs = new ArrayList<>();
        for (int repeat = 0; repeat < repeats; repeat++) {
            for (int streams : streamCounts) {
                for (boolean recording : List.of(false, true)) {
                    Run run = runOnce(media, streams, recording);
                    runs.add(run);
                    System.out.printf("streams=%d recording=%s relayCpu=%.1f%% archive=%.2f MB/s dropped=%.0f%n",
                            streams, recording, run.relayCpuPercentOfCore(), run.archiveMegabytesPerSecond(),
                            run.archiveQueueDropped());
                }
            }
        }
        write(runs);
        return 0;
    }

    private Run runOnce(EncodedMedia media, int streams, boolean recording) throws Exception {
        Path archive = Files.createTempDirectory("tunnelcast-archive-bench");
        List<String> relayArgs = recording ? List.of("--record-dir", archive.toString(), "--record-segment", "1m") : List.of();
        Path log = out.resolve("raw").resolve("archive-relay-" + streams + (recording ? "-rec" : "") + ".log");
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
                return new Run(streams, recording, window, sent, 100 * cpu / window, written / window / 1e6,
                        PrometheusText.sum(metrics1, DROPPED));
            } finally {
                for (MediaPublisher p : publishers) {
                    p.close();
                }
            }
        } finally {
            deleteTree(archive);
        }
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
                + " --seconds " + seconds + " --warmup " + warmupSeconds + " --repeats " + repeats;
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "archive");
        doc.put("command", commandLine);
        doc.put("machine", MachineInfo.describe());
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
                .append(" · load average at the end: ").append(doc.get("loadAverageAtEnd")).append("\n\n")
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
        Files.writeString(out.resolve("archive.md"), md);
        System.out.println();
        System.out.print(md);
        System.out.println("\nWrote " + out.resolve("archive.json") + " and " + out.resolve("archive.md"));
    }

    private static Spread cpu(List<Run> runs, int streams, boolean recording) {
        return Spread.of(runs.stream().filter(r -> r.streams() == streams && r.recording() == recording)
                .mapToDouble(Run::relayCpuPercentOfCore).toArray());
    }
}
