package dev.tunnelcast.bench.report;

import java.util.Locale;

/** The lines under a report section's description: how to reproduce it and how quiet the machine was. */
public final class Conditions {

    /** Above this many cores taken by other processes during a measurement, a report calls the machine noisy. */
    public static final double NOISY_CORES = 0.3;

    private Conditions() {}

    /**
     * "Command: … / Machine: … / Load average at start: … / Other processes used up to N cores
     * during a {@code unit}", with a warning when that is above {@link #NOISY_CORES}.
     */
    public static String markdown(String command, String machine, String loadAtStart, double maxOtherCores, String unit) {
        return "Command: `" + command + "`  \nMachine: " + machine + "  \nLoad average at start: " + loadAtStart
                + String.format(Locale.ROOT, "  \nOther processes used up to %.2f cores during a %s%s.%n%n", maxOtherCores, unit,
                maxOtherCores > NOISY_CORES ? " — a noisy machine: treat small differences with care" : "");
    }
}
