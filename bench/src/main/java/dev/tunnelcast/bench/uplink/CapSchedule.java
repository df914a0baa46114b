package dev.tunnelcast.bench.uplink;

import java.util.List;

/**
 * The uplink's rate cap over a run: steps of (from second, cap), the first from 0.
 * {@code cap}: 1.5 Mbit/s throughout; {@code dip}: 4 Mbit/s, down to 1.5 Mbit/s at 10 s,
 * back to 4 Mbit/s at 25 s.
 */
record CapSchedule(String name, int seconds, List<Step> steps) {

    record Step(int fromSecond, long capBitsPerSecond) {}

    CapSchedule {
        if (steps.isEmpty() || steps.get(0).fromSecond() != 0) {
            throw new IllegalArgumentException("a cap schedule starts at second 0");
        }
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).fromSecond() <= steps.get(i - 1).fromSecond()) {
                throw new IllegalArgumentException("cap steps must be in time order");
            }
        }
    }

    static CapSchedule named(String name, int capSeconds) {
        return switch (name) {
            case "cap" -> new CapSchedule(name, capSeconds, List.of(new Step(0, 1_500_000)));
            case "dip" -> new CapSchedule(name, 40, List.of(new Step(0, 4_000_000), new Step(10, 1_500_000),
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

    String describe() {
        StringBuilder b = new StringBuilder();
        for (Step s : steps) {
            b.append(b.length() == 0 ? "" : ", then ").append(String.format(java.util.Locale.ROOT, "%.1f Mbit/s", s.capBitsPerSecond() / 1e6))
                    .append(s.fromSecond() == 0 ? "" : " from " + s.fromSecond() + " s");
        }
        return b.append(" for ").append(seconds).append(" s").toString();
    }
}
