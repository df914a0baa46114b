package dev.tunnelcast.agent.clock;

/**
 * The agent's own clock: microseconds since the Unix epoch, but never going backwards
 * (wall time read once, then advanced by {@link System#nanoTime()}), so that media
 * timestamps and ping/pong samples taken from it are monotonic. Tests inject their own.
 */
@FunctionalInterface
public interface LocalClock {

    long nowMicros();

    /** The system clock, anchored to wall time once at creation. */
    static LocalClock system() {
        long baseEpochMicros = System.currentTimeMillis() * 1000L;
        long baseNanos = System.nanoTime();
        return () -> baseEpochMicros + (System.nanoTime() - baseNanos) / 1000L;
    }
}
