package dev.tunnelcast.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One line saying what machine a figure was measured on. */
public final class MachineInfo {
    private MachineInfo() {}

    public static String describe() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException ignored) {
            // not Linux: the rest of the line still says something
        }
        return String.format("%d cores (%s), %.0f GiB RAM, %s %s, Java %s",
                Runtime.getRuntime().availableProcessors(), cpu,
                ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                        .getOperatingSystemMXBean()).getTotalMemorySize() / 1073741824.0,
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"));
    }

    /** /proc/loadavg as it reads now ("1.20 0.95 0.80 2/345 6789"), or "unknown". */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
