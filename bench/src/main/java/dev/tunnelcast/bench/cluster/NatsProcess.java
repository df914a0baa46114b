package dev.tunnelcast.bench.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunnelcast.bench.harness.ChildProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's {@code nats-server} for the benchmark: JetStream on (the relays' directory needs it),
 * on free loopback ports, with its monitoring port open so that {@code /varz} gives the
 * server's message and byte counters and its CPU is read from /proc. Ended with its children
 * when the benchmark ends ({@link ChildProcess}).
 */
final class NatsProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The server's cumulative counters as {@code /varz} reads them. */
    record Traffic(long inMsgs, long outMsgs, long inBytes, long outBytes) {
    }

    private final ChildProcess child;
    private final int port;
    private final int monitorPort;
    private final HttpClient http = HttpClient.newHttpClient();

    NatsProcess(Path dir) throws Exception {
        Files.createDirectories(dir);
        this.port = freePort();
        this.monitorPort = freePort();
        child = ChildProcess.start(new ProcessBuilder(List.of("nats-server", "-a", "127.0.0.1", "-p",
                Integer.toString(port), "-m", Integer.toString(monitorPort), "-js", "-sd", dir.resolve("store").toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("nats-server.log").toFile()));
        try {
            awaitListening();
        } catch (Exception | Error e) {
            child.close();
            throw e;
        }
    }

    String url() {
        return "nats://127.0.0.1:" + port;
    }

    long pid() {
        return child.process().pid();
    }

    Traffic traffic() throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitorPort + "/varz"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        JsonNode varz = JSON.readTree(body);
        return new Traffic(varz.path("in_msgs").asLong(), varz.path("out_msgs").asLong(),
                varz.path("in_bytes").asLong(), varz.path("out_bytes").asLong());
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!child.process().isAlive()) {
                throw new IllegalStateException("nats-server exited (is Debian's nats-server installed? ./tunnelcast setup)");
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("nats-server did not listen within " + START_TIMEOUT);
                }
                Thread.sleep(50);
            }
        }
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
