package dev.tunnelcast.server.cluster;

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
import java.util.concurrent.TimeUnit;

/** A relay node in its own JVM (the test's class path), started with {@code serve} and the given options. */
final class RelayNode implements AutoCloseable {

    /** Generous: at load 30 and more a node JVM took 85 s to reach NATS (ClusterTest, 2026-12-03). */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();

    private RelayNode(Path log, List<String> options) throws IOException {
        this.log = log;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dorg.bytedeco.javacpp.cachedir=" + log.getParent().resolve("javacpp"),
                "-cp", System.getProperty("java.class.path"),
                "dev.tunnelcast.server.RelayMain", "serve", "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--io-threads", "2", "--worker-threads", "2"));
        command.addAll(options);
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** A node that must come up: waits for {@code /healthz}. */
    static RelayNode start(Path log, String... options) throws Exception {
        RelayNode node = new RelayNode(log, List.of(options));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!node.process.isAlive()) {
                throw new AssertionError("relay node exited with " + node.process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                node.get("/healthz");
                return node;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    node.close();
                    throw new AssertionError("relay node not healthy within " + START_TIMEOUT + ":\n" + Files.readString(log));
                }
                Thread.sleep(100);
            }
        }
    }

    /** A node expected to fail: its exit code, once it exited. */
    static int runToExit(Path log, String... options) throws Exception {
        RelayNode node = new RelayNode(log, List.of(options));
        if (!node.process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            node.close();
            throw new AssertionError("relay node still running after " + START_TIMEOUT + ":\n" + Files.readString(log));
        }
        return node.process.exitValue();
    }

    String get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The bytes at {@code path}, or an AssertionError with the status and body if it is not 200. */
    byte[] getBytes(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + ": " + response.statusCode() + " "
                    + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return response.body();
    }

    /** {@code get}, with an I/O failure as its message (for polling conditions). */
    String poll(String path) {
        try {
            return get(path);
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    URI publishUri(String stream) {
        return URI.create("ws://127.0.0.1:" + port + "/ws/publish/" + stream);
    }

    URI playUri(String stream) {
        return URI.create("ws://127.0.0.1:" + port + "/ws/play/" + stream);
    }

    /** SIGKILL: no shutdown, no offline events, no directory clean-up. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("relay node not killed within 30 s");
        }
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
