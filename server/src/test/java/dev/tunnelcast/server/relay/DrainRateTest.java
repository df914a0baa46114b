package dev.tunnelcast.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A player's link rate from its backlog's drain: from one step to the next within one backlog. */
class DrainRateTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long FRESH = TimeUnit.SECONDS.toNanos(5);

    private final DrainRate rate = new DrainRate();
    private long now;
    private long taken;

    /** Observes every 50 ms for {@code millis}; a write batch of {@code stepBytes} completes every {@code stepMillis}. */
    private void run(long millis, boolean backlogged, long stepBytes, long stepMillis) {
        for (long t = 0; t < millis; t += 50) {
            now += 50 * MS;
            if (stepMillis > 0 && (t + 50) % stepMillis == 0) {
                taken += stepBytes;
            }
            rate.observe(now, taken, backlogged);
        }
    }

    @Test
    void measuresFromStepToStepWhileBacklogged() {
        run(1000, false, 500_000, 50);
        assertThat(rate.bitsPerSecond(now, FRESH)).as("a short backlog says nothing of the link's limit").isEqualTo(-1);
        // Backlogged; a 62,500-byte batch completes every 500 ms: 1 Mbit/s.
        run(500, true, 62_500, 500);
        assertThat(rate.bitsPerSecond(now, FRESH)).as("one step: where the batch began is not known").isEqualTo(-1);
        run(1000, true, 62_500, 500);
        assertThat(rate.bitsPerSecond(now, FRESH)).isEqualTo(1_000_000);
        assertThat(rate.bitsPerSecond(now + FRESH + MS, FRESH)).as("stale").isEqualTo(-1);
    }

    @Test
    void aBacklogThatTookNothingSaysNothing() {
        run(2000, true, 0, 0);
        assertThat(rate.bitsPerSecond(now, FRESH)).isEqualTo(-1);
    }

    @Test
    void aBreakInTheBacklogStartsTheMeasureAfresh() {
        run(500, true, 62_500, 500);
        run(1000, false, 0, 0);
        // The next step comes 1.5 s after the last one, but the link was idle for part of it.
        run(500, true, 62_500, 500);
        assertThat(rate.bitsPerSecond(now, FRESH)).isEqualTo(-1);
        run(500, true, 62_500, 500);
        assertThat(rate.bitsPerSecond(now, FRESH)).isEqualTo(1_000_000);
    }
}
