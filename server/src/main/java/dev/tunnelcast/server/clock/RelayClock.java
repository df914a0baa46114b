package dev.tunnelcast.server.clock;

/**
 * The relay clock: microseconds since the Unix epoch, anchored once to the wall clock and
 * advanced by {@link System#nanoTime()}, so it never jumps when NTP steps the system clock.
 * Tests inject their own implementation.
 */
public interface RelayClock {

    /** Microseconds since the Unix epoch on the relay clock. */
    long nowMicros();

    /** A monotonic reading in nanoseconds, for ages and durations (not an epoch time). */
    long monotonicNanos();

    /** The production clock: wall clock at construction plus the nanoTime delta since. */
    static RelayClock system() {
        java.time.Instant wall = java.time.Instant.now();
        long anchorMicros = wall.getEpochSecond() * 1_000_000L + wall.getNano() / 1000L;
        long anchorNanos = System.nanoTime();
        return new RelayClock() {
            @Override
            public long nowMicros() {
                return anchorMicros + (System.nanoTime() - anchorNanos) / 1000L;
            }

            @Override
            public long monotonicNanos() {
                return System.nanoTime();
            }
        };
    }
}
