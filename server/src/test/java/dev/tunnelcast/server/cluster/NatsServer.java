package dev.tunnelcast.server.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code nats-server} with JetStream on a free loopback port, its store under
 * {@code target/}, with a user and password. It can be stopped and started again on the
 * same port and store, as an operator's restart. Public for the bench module's end-to-end
 * tests (this module's test jar).
 */
public final class NatsServer implements AutoCloseable {

    public static final String USER = "relay";
    public static final String PASSWORD = "cluster-secret";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final int port;
    private final Path dir;
    private Process process;

    private NatsServer(Path dir) throws IOException {
        this.dir = dir;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    public static NatsServer start(Path dir) throws Exception {
        Files.createDirectories(dir);
        NatsServer server = new NatsServer(dir);
        server.start();
        return server;
    }

    /** Starts the server and waits until it accepts connections. */
    public void start() throws Exception {
        process = new ProcessBuilder(List.of("nats-server", "-a", "127.0.0.1", "-p", Integer.toString(port), "-js",
                "-sd", dir.resolve("store").toString(), "--user", USER, "--pass", PASSWORD))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nats-server.log").toFile()))
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nats-server exited; see " + dir.resolve("nats-server.log"));
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

    /** SIGTERM and wait: the relays lose their connection. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
