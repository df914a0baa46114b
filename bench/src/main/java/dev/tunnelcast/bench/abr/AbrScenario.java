package dev.tunnelcast.bench.abr;

import java.util.List;
import java.util.Locale;

/**
 * The relay → player rate cap of the capped tab over a measured run: steps of (from second,
 * cap), the first from 0. {@code cap}: 1 Mbit/s throughout; {@code dip}: 4 Mbit/s, 0.8 Mbit/s
 * from 10 s, 4 Mbit/s again from 25 s, 40 s in all.
 */
record AbrScenario(String name, int seconds, List<Step> steps) {

    record Step(int fromSecond, long capBitsPerSecond) {}

    AbrScenario {
        if (seconds <= 0) {
            throw new IllegalArgumentException("a scenario lasts at least a second");
        }
        if (steps.isEmpty() || steps.get(0).fromSecond() != 0) {
            throw new IllegalArgumentException("a cap schedule starts at second 0");
        }
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).fromSecond() <= steps.get(i - 1).fromSecond()) {
                throw new IllegalArgumentException("cap steps must be in time order");
            }
        }
    }

    static AbrScenario named(String name, int capSeconds) {
        return switch (name) {
            case "cap" -> new AbrScenario(name, capSeconds, List.of(new Step(0, 1_000_000)));
            case "dip" -> new AbrScenario(name, 40, List.of(new Step(0, 4_000_000), new Step(10, 800_000),
                    new Step(25, 4_000_000)));
            default -> throw new IllegalArgumentException("unknown scenario '" + name + "'; known: cap, dip");
        };
    }

    /** The cap in force during second {@code t} (0-based). */
    long capAt(int t) {
        long cap = steps.get(0).capBitsPerSecond();
        for (Step s : steps) {
            if (s.fromSecond() <= t) {
                cap = s.capBitsPerSecond();
            }
        }
        return cap;
    }

    /** The step that lowers the cap below the first one (the dip's start), or null when there is none. */
    Step dipStart() {
        return steps.stream().skip(1).filter(s -> s.capBitsPerSecond() < steps.get(0).capBitsPerSecond()).findFirst()
                .orElse(null);
    }

    /** The step after the dip that raises the cap again, or null. */
    Step dipEnd() {
        Step start = dipStart();
        return start == null ? null : steps.stream().filter(s -> s.fromSecond() > start.fromSecond()
                && s.capBitsPerSecond() > start.capBitsPerSecond()).findFirst().orElse(null);
    }

    String describe() {
        StringBuilder b = new StringBuilder();
        for (Step s : steps) {
            b.append(b.length() == 0 ? "" : ", then ").append(String.format(Locale.ROOT, "%.1f Mbit/s", s.capBitsPerSecond() / 1e6))
                    .append(s.fromSecond() == 0 ? "" : " from " + s.fromSecond() + " s");
        }
        return b.append(" for ").append(seconds).append(" s").toString();
    }
}
