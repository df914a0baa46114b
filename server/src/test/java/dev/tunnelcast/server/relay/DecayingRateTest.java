package dev.tunnelcast.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A decaying byte rate: right from the first second, and following a change within a few time constants. */
class DecayingRateTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void readsASteadyRateFromTheFirstSecondAndFollowsAChange() {
        DecayingRate rate = new DecayingRate(4_000 * MS);
        assertThat(rate.bitsPerSecond(0)).isZero();
        long t = 0;
        for (; t < 1_000 * MS; t += 10 * MS) {
            rate.add(1_250, t); // 1 Mbit/s
        }
        assertThat(rate.bitsPerSecond(t)).isBetween(950_000L, 1_050_000L);
        for (; t < 20_000 * MS; t += 10 * MS) {
            rate.add(250, t); // 200 kbit/s
        }
        assertThat(rate.bitsPerSecond(t)).isBetween(190_000L, 215_000L);
    }
}
