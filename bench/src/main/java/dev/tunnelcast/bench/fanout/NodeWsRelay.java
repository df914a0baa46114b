package dev.tunnelcast.bench.fanout;

import dev.tunnelcast.bench.harness.ChildProcess;
import dev.tunnelcast.bench.harness.ProcStat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Node baseline ({@code bench/node-relay/relay.js}) in its own process on 127.0.0.1 and
 * a free port. Its {@code node_modules} come from {@code npm ci} against the committed lock
 * file, run once when missing.
 */
final class NodeWsRelay implements BenchRelay {
    private static final String NODE = "/usr/bin/node";

    private final ChildProcess child;
    private final Process process;
    private final int port;

    NodeWsRelay(Path dir, Path logFile) throws Exception {
        installOnce(dir);
        Files.createDirectories(logFile.getParent());
        child = ChildProcess.start(new ProcessBuilder(NODE, "relay.js", "0", "127.0.0.1").directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true));
        process = child.process();
        try {
            port = awaitPort(logFile);
        } catch (Exception | Error e) {
            child.close();
            throw e;
        }
    }

    private static void installOnce(Path dir) throws Exception {
        if (Files.isDirectory(dir.resolve("node_modules").resolve("ws"))) return;
        // Nothing shared with our own stdio: npm sets the descriptors it inherits non-blocking,
        // which broke the stdin of the Surefire fork running this ("std/in stream corrupted").
        Path log = Files.createTempFile("tunnelcast-npm-ci", ".log");
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!npm.waitFor(120, TimeUnit.SECONDS) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci failed in " + dir + ":\n" + Files.readString(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Reads "listening PORT" from the script, then copies the rest of its output to the log. */
    private int awaitPort(Path logFile) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(15, TimeUnit.SECONDS);
        if (first == null || !first.startsWith("listening ")) {
            throw new IllegalStateException("node relay did not start: " + first);
        }
        Thread copier = new Thread(() -> {
            try (var log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
                log.write(first + "\n");
                out.transferTo(log);
            } catch (IOException ignored) {
                // the relay went away: nothing more to log
            }
        }, "node-relay-log");
        copier.setDaemon(true);
        copier.start();
        return Integer.parseInt(first.substring("listening ".length()).trim());
    }

    @Override public int port() { return port; }

    @Override public long pid() { return process.pid(); }

    @Override public boolean sendsWelcome() { return false; }

    @Override public double cpuSeconds() throws IOException { return ProcStat.cpuSeconds(process.pid()); }

    @Override public long residentBytes() throws IOException { return ProcStat.residentBytes(process.pid()); }

    @Override public long heapUsedAfterGcBytes() { return -1; }

    @Override public String metrics() { return ""; }

    @Override
    public void close() {
        child.close();
    }
}
