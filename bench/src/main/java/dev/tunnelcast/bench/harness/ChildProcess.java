package dev.tunnelcast.bench.harness;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A process the harness starts and must not leave behind: {@link #close()} ends it and its
 * descendants (SIGTERM, then SIGKILL after a grace period), and a shutdown hook does the same
 * if the harness exits first (an exception out of main, System.exit, Ctrl-C). Only SIGKILL of
 * the harness itself can still orphan it.
 */
public final class ChildProcess implements AutoCloseable {
    private static final long GRACE_SECONDS = 20;

    private final Process process;
    private final Thread shutdownHook;

    private ChildProcess(Process process) {
        this.process = process;
        this.shutdownHook = new Thread(this::destroyAll, "destroy child " + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the process and registers it for destruction when the harness exits. */
    public static ChildProcess start(ProcessBuilder builder) throws IOException {
        return new ChildProcess(builder.start());
    }

    public Process process() {
        return process;
    }

    /** Ends the process and its descendants and waits for them; idempotent. */
    @Override
    public void close() {
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing left to unregister
        }
    }

    private void destroyAll() {
        // Descendants first: once the parent is gone they are reparented and out of reach.
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GRACE_SECONDS);
        for (ProcessHandle p : all) {
            if (!awaitExit(p, Math.max(0, deadline - System.nanoTime()))) {
                p.destroyForcibly();
                awaitExit(p, TimeUnit.SECONDS.toNanos(GRACE_SECONDS));
            }
        }
    }

    private static boolean awaitExit(ProcessHandle p, long nanos) {
        try {
            p.onExit().get(nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return !p.isAlive();
        }
    }
}
