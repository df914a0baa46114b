package dev.tunnelcast.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Counts a process's system calls (all of its threads) over a window, with
 * {@code perf stat -e raw_syscalls:sys_enter -p PID -- sleep S}: a kernel tracepoint counter,
 * cheap enough not to slow the process down (unlike {@code strace}). Where perf is missing or
 * not allowed, the count is -1.
 */
public final class SyscallCount {
    private final Process perf;
    private final Path output;

    private SyscallCount(Process perf, Path output) {
        this.perf = perf;
        this.output = output;
    }

    /** Starts counting now for {@code seconds}; null when perf cannot be started. */
    public static SyscallCount start(long pid, int seconds) {
        try {
            Path output = Files.createTempFile("perf-syscalls", ".csv");
            Process perf = new ProcessBuilder("perf", "stat", "-x", ",", "-o", output.toString(),
                    "-e", "raw_syscalls:sys_enter", "-p", Long.toString(pid), "--", "sleep", Integer.toString(seconds))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return new SyscallCount(perf, output);
        } catch (IOException e) {
            return null;
        }
    }

    /** Waits for the window to end; the system calls counted, or -1. */
    public static long finish(SyscallCount count) throws InterruptedException {
        if (count == null) return -1;
        try {
            if (!count.perf.waitFor(30, TimeUnit.SECONDS)) {
                count.perf.destroyForcibly();
                return -1;
            }
            for (String line : Files.readAllLines(count.output)) {
                String[] fields = line.split(",");
                if (fields.length > 2 && fields[2].equals("raw_syscalls:sys_enter")) {
                    return Long.parseLong(fields[0]);
                }
            }
            return -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        } finally {
            try {
                Files.deleteIfExists(count.output);
            } catch (IOException ignored) {
                // a temp file left behind
            }
        }
    }
}
