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

    @Option(names = "--seconds", defaultValue = "15", description = "Measured window per run (default: ${DEFAULT-VALUE}).")
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
        for (int streams : streamCounts) {
            for (boolean recording : List.of(false, true)) {
                Run run = runOnce(media, streams, recording);
                runs.add(run);
                System.out.printf("streams=%d recording=%s relayCpu=%.1f%% archive=%.2f MB/s dropped=%.0f%n",
                        streams, recording, run.relayCpuPercentOfCore(), run.archiveMegabytesPerSecond(),
                        run.archiveQueueDropped());
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
                + " --seconds " + seconds;
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "archive");
        doc.put("command", commandLine);
        doc.put("machine", MachineInfo.describe());
        doc.put("runs", runs);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("archive.json").toFile(), doc);
        StringBuilder md = new StringBuilder("# Relay CPU with and without recording\n\n")
                .append("Command: `").append(commandLine).append("`  \nMachine: ").append(doc.get("machine"))
                .append("\n\nN publishers, each real H.264 640x360 30 fps (x264 ultrafast, 2 s GOP) + Opus 48 kbit/s,")
                .append(" sent in real time over WebSockets from the benchmark's JVM; the relay in its own JVM, no players.")
                .append(" CPU is the relay process's utime+stime over ").append(seconds).append(" s (100 % = one core).\n\n")
                .append("| streams | relay CPU % without | relay CPU % recording | archive MB/s written | queue drops |\n")
                .append("|---:|---:|---:|---:|---:|\n");
        for (int streams : streamCounts) {
            Run off = runs.stream().filter(r -> r.streams() == streams && !r.recording()).findFirst().orElseThrow();
            Run on = runs.stream().filter(r -> r.streams() == streams && r.recording()).findFirst().orElseThrow();
            md.append(String.format("| %d | %.1f | %.1f | %.2f | %.0f |%n", streams, off.relayCpuPercentOfCore(),
                    on.relayCpuPercentOfCore(), on.archiveMegabytesPerSecond(), on.archiveQueueDropped()));
        }
        Files.writeString(out.resolve("archive.md"), md);
        System.out.println();
        System.out.print(md);
        System.out.println("\nWrote " + out.resolve("archive.json") + " and " + out.resolve("archive.md"));
    }
}
