package dev.tunnelcast.agent.publish;

import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter for reconnects: {@code initial · 2^n}, capped, each delay
 * drawn uniformly from [50 %, 100 %] of that so that many agents do not reconnect in step.
 */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private final RandomGenerator random;
    private int attempt;

    public Backoff(long initialMillis, long maxMillis, RandomGenerator random) {
        if (initialMillis <= 0 || maxMillis < initialMillis) {
            throw new IllegalArgumentException("need 0 < initial <= max");
        }
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
        this.random = random;
    }

    public long nextDelayMillis() {
        long ceiling = Math.min(maxMillis, initialMillis << Math.min(attempt, 30));
        attempt++;
        return ceiling / 2 + random.nextLong(ceiling / 2 + 1);
    }

    public void reset() {
        attempt = 0;
    }
}
