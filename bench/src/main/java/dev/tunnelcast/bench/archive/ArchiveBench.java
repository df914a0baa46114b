package dev.tunnelcast.bench.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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

    private static final Pattern WRITTEN = Pattern.compile("(?m)^tunnelcast_archive_bytes_written_bytes_total\\s+(\\S+)");
    private static final Pattern DROPPED = Pattern.compile("(?m)^tunnelcast_archive_queue_dropped_total\\s+(\\S+)");

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
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:+UseG1GC", "-Dorg.bytedeco.javacpp.cachedir=" + Path.of(".cache", "javacpp").toAbsolutePath(),
                "-jar", relayJar.toString(), "serve", "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--log-level", "warn"));
        command.addAll(4, relayJvmArgs);
        if (recording) {
            command.addAll(List.of("--record-dir", archive.toString(), "--record-segment", "1m"));
        }
        Path log = out.resolve("raw").resolve("archive-relay-" + streams + (recording ? "-rec" : "") + ".log");
        Process relay = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        List<MediaPublisher> publishers = new ArrayList<>();
        try {
            awaitHealthy(http, port, relay);
            for (int i = 0; i < streams; i++) {
                publishers.add(new MediaPublisher(http, URI.create("ws://127.0.0.1:" + port + "/ws/publish/bench-" + i),
                        media, "publisher-" + i));
            }
            Thread.sleep(warmupSeconds * 1000L);
            String metrics0 = get(http, port, "/metrics");
            long sent0 = publishers.stream().mapToLong(MediaPublisher::packetsSent).sum();
            double cpu0 = cpuSeconds(relay.pid());
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double window = (System.nanoTime() - t0) / 1e9;
            double cpu = cpuSeconds(relay.pid()) - cpu0;
            long sent = publishers.stream().mapToLong(MediaPublisher::packetsSent).sum() - sent0;
            String metrics1 = get(http, port, "/metrics");
            for (MediaPublisher p : publishers) {
                p.check();
            }
            double written = metric(metrics1, WRITTEN) - metric(metrics0, WRITTEN);
            return new Run(streams, recording, window, sent, 100 * cpu / window, written / window / 1e6,
                    metric(metrics1, DROPPED));
        } finally {
            for (MediaPublisher p : publishers) {
                p.close();
            }
            relay.destroy();
            if (!relay.waitFor(20, TimeUnit.SECONDS)) {
                relay.destroyForcibly().waitFor();
            }
            deleteTree(archive);
        }
    }

    private static double metric(String text, Pattern pattern) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** utime + stime of a process, in seconds (Linux clock ticks are 1/100 s). */
    private static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    private static String get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void awaitHealthy(HttpClient http, int port, Process relay) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!relay.isAlive()) {
                throw new IllegalStateException("relay exited with " + relay.exitValue());
            }
            try {
                get(http, port, "/healthz");
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("relay did not answer /healthz within 30 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
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
        doc.put("machine", Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version"));
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
