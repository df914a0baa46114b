package dev.tunnelcast.bench.harness;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relay under test, in its own JVM so that its CPU time and heap are its own: started
 * from the shaded jar, probed through /proc, jcmd and its HTTP endpoints.
 */
public final class RelayProcess implements AutoCloseable {
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    /** How long the relay may take to answer /healthz (a busy machine starts a JVM slowly). */
    static final String START_TIMEOUT_ENV = "TUNNELCAST_BENCH_RELAY_START_SECONDS";
    private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);

    private final ChildProcess child;
    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * Starts {@code java [jvmArgs] -jar relayJar serve --bind 127.0.0.1 --port FREE [relayArgs]}
     * and waits for /healthz (up to {@value #START_TIMEOUT_ENV} seconds, 120 by default).
     * JavaCPP's cache goes to {@code .cache/javacpp}, not $HOME.
     */
    public RelayProcess(Path relayJar, Path logFile, List<String> jvmArgs, List<String> relayArgs) throws Exception {
        this(freePort(), port -> relayCommand(relayJar, port, jvmArgs, relayArgs), logFile, startTimeout(System.getenv()));
    }

    /**
     * Starts {@code command} (given the port it must serve) and waits for /healthz; if it
     * does not answer in time or exits, the process and its descendants are destroyed
     * before the failure is thrown.
     */
    RelayProcess(int port, IntFunction<List<String>> command, Path logFile, Duration startTimeout)
            throws Exception {
        this.port = port;
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        child = ChildProcess.start(new ProcessBuilder(command.apply(port)).redirectErrorStream(true)
                .redirectOutput(logFile.toFile()));
        process = child.process();
        try {
            awaitHealthy(startTimeout);
        } catch (Exception | Error e) {
            child.close();
            throw e;
        }
    }

    private static List<String> relayCommand(Path relayJar, int port, List<String> jvmArgs, List<String> relayArgs) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-XX:+UseG1GC",
                "-Dorg.bytedeco.javacpp.cachedir=" + Path.of(".cache", "javacpp").toAbsolutePath()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", relayJar.toString(),
                "serve", "--bind", "127.0.0.1", "--port", Integer.toString(port), "--log-level", "warn"));
        command.addAll(relayArgs);
        return command;
    }

    /** The start timeout from {@value #START_TIMEOUT_ENV}, else 120 s. */
    static Duration startTimeout(Map<String, String> env) {
        String seconds = env.get(START_TIMEOUT_ENV);
        if (seconds == null || seconds.isBlank()) return DEFAULT_START_TIMEOUT;
        return Duration.ofSeconds(Long.parseLong(seconds.trim()));
    }

    public int port() { return port; }

    public long pid() { return process.pid(); }

    /** utime + stime of the relay process, in seconds. */
    public double cpuSeconds() throws IOException {
        return ProcStat.cpuSeconds(process.pid());
    }

    /** Heap in use right after a full GC, in bytes: what the relay really holds. */
    public long heapUsedAfterGcBytes() throws Exception {
        jcmd("GC.run");
        Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
        if (!m.find()) throw new IllegalStateException("jcmd GC.heap_info gave no heap figure");
        return Long.parseLong(m.group(1)) * 1024;
    }

    public long residentBytes() throws IOException {
        return ProcStat.residentBytes(process.pid());
    }

    public String metrics() throws Exception {
        return get("/metrics");
    }

    private String jcmd(String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    private String get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private void awaitHealthy(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("relay exited with " + process.exitValue());
            try {
                if (get("/healthz") != null) return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("relay did not answer /healthz within " + timeout.toSeconds()
                + " s (set " + START_TIMEOUT_ENV + " for more)");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        child.close();
    }
}
