package dev.tunnelcast.bench.fanout;

import dev.tunnelcast.bench.harness.ProcStat;
import java.io.IOException;

/**
 * A relay under test in its own process, measured the same way whatever it is: its port on
 * 127.0.0.1, its CPU time and RSS from /proc, and what only some relays can tell (heap,
 * their own metrics).
 */
interface BenchRelay extends AutoCloseable {
    int port();

    /** The relay's process id, for counting its system calls. */
    long pid();

    /** Whether players get a Welcome before media (ours) or media straight after the upgrade. */
    boolean sendsWelcome();

    double cpuSeconds() throws IOException;

    /** The part of {@link #cpuSeconds()} spent in the kernel. */
    default double systemCpuSeconds() throws IOException {
        return ProcStat.systemCpuSeconds(pid());
    }

    long residentBytes() throws IOException;

    /** Heap in use after a full GC, or -1 where the relay has no such figure. */
    long heapUsedAfterGcBytes() throws Exception;

    /** Its Prometheus text, or "" where it has none. */
    String metrics() throws Exception;

    @Override
    void close() throws InterruptedException;
}
