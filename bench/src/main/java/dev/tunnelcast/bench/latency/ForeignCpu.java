package dev.tunnelcast.bench.latency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU used by everything outside this test (this JVM and its children: the Chromium driver and
 * browser) over a measurement: how many cores other work took from the machine. It is the
 * machine's busy time from /proc/stat (steal included: a hypervisor's other guests) minus our
 * processes' own, so that short-lived processes (other builds' compilers and test forks) count
 * too. Latency bounds are only meaningful when the machine is not shared with other heavy work.
 */
public final class ForeignCpu {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private final long startBusyTicks;
    private final long startOurTicks;
    private final long startNanos;

    private ForeignCpu() {
        this.startBusyTicks = machineBusyTicks();
        this.startOurTicks = ourTicks();
        this.startNanos = System.nanoTime();
    }

    public static ForeignCpu start() {
        return new ForeignCpu();
    }

    /** Cores used on average by other processes (and other guests) since {@link #start()}. */
    public double coresUsed() {
        long busy = machineBusyTicks() - startBusyTicks;
        long ours = ourTicks() - startOurTicks;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return Math.max(0, busy - ours) / TICKS_PER_SECOND / seconds;
    }

    /** user + nice + system + irq + softirq + steal of all CPUs (the first line of /proc/stat). */
    private static long machineBusyTicks() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
            String[] f = lines.findFirst().orElseThrow().trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return busy;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/stat", e);
        }
    }

    /**
     * utime + stime of this JVM and its descendants, plus what each has reaped of its own
     * children (cutime + cstime): a child that ran and ended during the measurement (an
     * ffmpeg encode) is no longer a descendant, and without its reaped time it would count
     * as other work.
     */
    private static long ourTicks() {
        ProcessHandle self = ProcessHandle.current();
        return Stream.concat(Stream.of(self), self.descendants()).mapToLong(p -> {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[11]) + Long.parseLong(fields[12])
                        + Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            } catch (IOException | RuntimeException gone) {
                return 0; // the process ended meanwhile
            }
        }).sum();
    }
}
