package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A relay or an agent in its own JVM, on this test's class path (the reactor's classes). */
final class JavaProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();

    private JavaProcess(Path log, int port, List<String> mainAndArgs) throws IOException {
        this.port = port;
        this.log = log;
        // A child inherits ignored signals: started from a script's background job (as CI may
        // be), SIGINT is ignored, and then the JVM does not let the agent handle it either. A
        // user's terminal delivers it, so the process starts with INT and TERM at their defaults.
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT,TERM",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("org.bytedeco.javacpp.cachedir",
                        log.getParent().resolve("javacpp").toString()),
                "-Djna.tmpdir=" + System.getProperty("jna.tmpdir", log.getParent().resolve("jna").toString()),
                "-cp", System.getProperty("java.class.path")));
        command.addAll(mainAndArgs);
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** A relay on 127.0.0.1:{@code port} with {@code options}, once {@code /healthz} answers. */
    static JavaProcess relay(Path log, int port, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("dev.tunnelcast.server.RelayMain",
                "serve", "--bind", "127.0.0.1", "--port", Integer.toString(port)));
        command.addAll(List.of(options));
        JavaProcess relay = new JavaProcess(log, port, command);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos(); // a cluster node at load 30: 85 s
        while (true) {
            assertThat(relay.isAlive()).as("relay running (see %s)", log).isTrue();
            try {
                relay.get("/healthz");
                return relay;
            } catch (IOException notYet) {
                assertThat(System.nanoTime()).as("relay healthy within 120 s").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }

    /** An agent publishing the synthetic source (320x240) as {@code cam1}. */
    static JavaProcess agent(Path log, int port) throws IOException {
        return new JavaProcess(log, port, List.of("dev.tunnelcast.agent.AgentMain",
                "--relay", "ws://127.0.0.1:" + port, "--stream", "cam1", "--size", "320x240",
                "--fps", Integer.toString(AgentFixtures.FPS), "--bitrate", "500k", "--status-interval", "60s"));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        return response.body();
    }

    /** SIGKILL: no shutdown hook, no trailer, nothing flushed that was not already. */
    void kill9() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(137);
    }

    /** Sends {@code signal} (e.g. {@code INT}, {@code TERM}) and returns the exit code. */
    int stopWith(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -%s", signal).isZero();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            // what it was doing, for the failure message: its threads and its log
            Process dump = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "Thread.print").redirectErrorStream(true).start();
            String threads = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            throw new AssertionError("not stopped within 30 s of SIG" + signal + "; log:\n" + Files.readString(log)
                    + "\nthreads:\n" + threads);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
