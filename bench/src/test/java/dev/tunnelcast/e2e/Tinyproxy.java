package dev.tunnelcast.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP CONNECT proxy (Debian's {@code tinyproxy}) on a free loopback port, with Basic
 * auth, a temporary config and its log in a temporary folder. Without the binary the test
 * fails and says how to install it (never a skip: a skipped test passes nothing).
 */
final class Tinyproxy implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/tinyproxy");

    final int port;
    final Path log;
    private final Process process;

    private Tinyproxy(int port, Path log, Process process) {
        this.port = port;
        this.log = log;
        this.process = process;
    }

    static Tinyproxy start(Path dir, String user, String password) throws Exception {
        return start(dir, user, password, 10);
    }

    /** As {@link #start(Path, String, String)}, serving at most {@code maxClients} connections at once (a browser opens several). */
    static Tinyproxy start(Path dir, String user, String password, int maxClients) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError("tinyproxy is not installed (apt-get install tinyproxy, or ./tunnelcast setup)");
        }
        // tinyproxy drops root privileges to 'nobody', which must be able to write its log
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("tinyproxy.log");
        Path conf = dir.resolve("tinyproxy.conf");
        // Only loopback targets, refused by name before any DNS lookup: Chromium sends its own background requests
        // (accounts, autofill, optimization guide, updates) through the proxy, and on a machine without outside DNS
        // each lookup took up to ~30 s to fail while the proxy's other clients waited (its log shows their request lines
        // read just after each failed lookup): a call page's player sockets took two minutes to open (CallE2ETest
        // beside a CPU hog).
        Path filter = dir.resolve("tinyproxy.filter");
        Files.writeString(filter, "^127\\.0\\.0\\.1$\n");
        Files.writeString(conf, String.join("\n",
                "Port " + port,
                "Listen 127.0.0.1",
                "Timeout 30",
                "LogFile \"" + log + "\"",
                "LogLevel Connect",
                "MaxClients " + maxClients,
                "Allow 127.0.0.1",
                "BasicAuth " + user + " " + password,
                "DisableViaHeader Yes",
                "Filter \"" + filter + "\"",
                "FilterType ere",
                "FilterDefaultDeny Yes",
                // no ConnectPort line: CONNECT to any port (the relay's TLS port is random)
                ""));
        Process p = new ProcessBuilder(BINARY.toString(), "-d", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("tinyproxy.out").toFile()).start();
        Tinyproxy proxy = new Tinyproxy(port, log, p);
        long deadline = System.currentTimeMillis() + 5_000;
        while (!proxy.accepting()) {
            if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                proxy.close();
                throw new IllegalStateException("tinyproxy did not start: " + Files.readString(dir.resolve("tinyproxy.out")));
            }
            Thread.sleep(50);
        }
        return proxy;
    }

    private boolean accepting() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
        }
    }
}
