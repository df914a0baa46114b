package dev.tunnelcast.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One line on the processes under a root, for a browser command that got no answer: whether
 * each process still runs, its scheduler state (R running, S sleeping, D in the kernel, Z gone)
 * and the CPU it used over a short sample. A hung page then shows as an engine process that
 * sleeps (a deadlock) or one that spins, where the bare timeout says neither.
 */
public final class ProcessTree {

    private ProcessTree() {}

    /** E.g. {@code WebKitWebProcess[123] S 0.00 of a core, MiniBrowser[120] S 0.01 of a core}; a few hundred characters. */
    public static String describe(ProcessHandle root, long sampleMillis) {
        List<ProcessHandle> processes = root.descendants().toList();
        Map<ProcessHandle, Double> before = new LinkedHashMap<>();
        processes.forEach(p -> before.put(p, cpuOrNaN(p.pid())));
        try {
            Thread.sleep(sampleMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return before.entrySet().stream().map(e -> {
            long pid = e.getKey().pid();
            double used = (cpuOrNaN(pid) - e.getValue()) * 1000 / sampleMillis;
            return String.format(Locale.ROOT, "%s[%d] %s %.2f of a core", name(pid), pid, state(pid), used);
        }).collect(Collectors.joining(", "));
    }

    private static double cpuOrNaN(long pid) {
        try {
            return ProcStat.cpuSeconds(pid);
        } catch (IOException | RuntimeException gone) {
            return Double.NaN;
        }
    }

    private static String name(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (IOException gone) {
            return "?";
        }
    }

    /** The state letter of /proc/PID/stat, or "gone". */
    private static String state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (IOException | RuntimeException gone) {
            return "gone";
        }
    }
}
