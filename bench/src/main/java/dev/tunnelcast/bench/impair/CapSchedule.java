package dev.tunnelcast.bench.impair;

import java.util.List;
import java.util.Locale;

/**
 * A rate cap over a measured run, for an {@link ImpairmentProxy} direction: steps of (from
 * second, cap), the first from 0. The benchmarks' two shapes ({@link #named}): {@code cap}, one
 * cap throughout; {@code dip}, 4 Mbit/s, a lower cap from 10 s, 4 Mbit/s again from 25 s, 40 s
 * in all.
 */
public record CapSchedule(String name, int seconds, List<Step> steps) {

    public record Step(int fromSecond, long capBitsPerSecond) {}

    public CapSchedule {
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

    /**
     * {@code cap}: {@code capBitsPerSecond} for {@code capSeconds}; {@code dip}: 4 Mbit/s, then
     * {@code dipBitsPerSecond} from 10 s, then 4 Mbit/s from 25 s, for 40 s.
     */
    public static CapSchedule named(String name, int capSeconds, long capBitsPerSecond, long dipBitsPerSecond) {
        return switch (name) {
            case "cap" -> new CapSchedule(name, capSeconds, List.of(new Step(0, capBitsPerSecond)));
            case "dip" -> new CapSchedule(name, 40, List.of(new Step(0, 4_000_000), new Step(10, dipBitsPerSecond),
                    new Step(25, 4_000_000)));
            default -> throw new IllegalArgumentException("unknown scenario '" + name + "'; known: cap, dip");
        };
    }

    /** The cap in force during second {@code t} (0-based). */
    public long capAt(int t) {
        long cap = steps.get(0).capBitsPerSecond();
        for (Step s : steps) {
            if (s.fromSecond() <= t) {
                cap = s.capBitsPerSecond();
            }
        }
        return cap;
    }

    /** The step that lowers the cap below the first one (the dip's start), or null when there is none. */
    public Step dipStart() {
        return steps.stream().skip(1).filter(s -> s.capBitsPerSecond() < steps.get(0).capBitsPerSecond()).findFirst()
                .orElse(null);
    }

    /** The step after the dip that raises the cap again, or null. */
    public Step dipEnd() {
        Step start = dipStart();
        return start == null ? null : steps.stream().filter(s -> s.fromSecond() > start.fromSecond()
                && s.capBitsPerSecond() > start.capBitsPerSecond()).findFirst().orElse(null);
    }

    public String describe() {
        StringBuilder b = new StringBuilder();
        for (Step s : steps) {
            b.append(b.length() == 0 ? "" : ", then ").append(String.format(Locale.ROOT, "%.1f Mbit/s", s.capBitsPerSecond() / 1e6))
                    .append(s.fromSecond() == 0 ? "" : " from " + s.fromSecond() + " s");
        }
        return b.append(" for ").append(seconds).append(" s").toString();
    }
}
