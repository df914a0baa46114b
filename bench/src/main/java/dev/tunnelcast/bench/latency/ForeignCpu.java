package dev.tunnelcast.bench.latency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * CPU used by processes outside this test (this JVM and its children: the Chromium driver and
 * browser) over a measurement, from /proc: how many cores other work took from the machine.
 * Latency bounds are only meaningful when the machine is not shared with other heavy work.
 */
public final class ForeignCpu {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private final Map<Long, Long> startTicks;
    private final long startNanos;

    private ForeignCpu() {
        this.startTicks = foreignTicks();
        this.startNanos = System.nanoTime();
    }

    public static ForeignCpu start() {
        return new ForeignCpu();
    }

    /** Cores used on average by other processes since {@link #start()}. */
    public double coresUsed() {
        Map<Long, Long> now = foreignTicks();
        long ticks = 0;
        for (Map.Entry<Long, Long> e : now.entrySet()) {
            ticks += e.getValue() - startTicks.getOrDefault(e.getKey(), 0L);
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return ticks / TICKS_PER_SECOND / seconds;
    }

    private static Map<Long, Long> foreignTicks() {
        ProcessHandle self = ProcessHandle.current();
        Set<Long> ours = self.descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
        ours.add(self.pid());
        Map<Long, Long> ticks = new HashMap<>();
        ProcessHandle.allProcesses().filter(p -> !ours.contains(p.pid())).forEach(p -> {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.put(p.pid(), Long.parseLong(fields[11]) + Long.parseLong(fields[12])); // utime + stime
            } catch (IOException | RuntimeException gone) {
                // the process ended meanwhile
            }
        });
        return ticks;
    }
}
