package dev.tunnelcast.agent.testing;

import dev.tunnelcast.agent.clock.ClockOffsetEstimator;

/** For pipeline tests without a relay: an estimator that has had one Pong from a relay on our own clock. */
public final class SameClock {

    private SameClock() {}

    public static ClockOffsetEstimator estimator() {
        ClockOffsetEstimator estimator = new ClockOffsetEstimator(1_000_000);
        estimator.onPong(0, 0, 0, 0); // zero offset, zero round trip
        return estimator;
    }
}
