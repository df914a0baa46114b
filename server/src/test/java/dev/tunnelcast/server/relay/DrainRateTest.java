package dev.tunnelcast.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A player's link rate from its queue's drain: only backlogged time counts. */
class DrainRateTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long FRESH = TimeUnit.SECONDS.toNanos(5);

    @Test
    void countsOnlyTheTimeTheQueueWasBackloggedAtBothEnds() {
        DrainRate rate = new DrainRate();
        long now = 0;
        long taken = 0;
        // 1 s of a short queue taking 10 MB: a fast link that says nothing of its limit.
        for (int i = 0; i < 20; i++, now += 50 * MS) {
            taken += 500_000;
            rate.observe(now, taken, false);
        }
        assertThat(rate.bitsPerSecond(now, FRESH)).as("nothing learnt while short").isEqualTo(-1);
        // Then backlogged, draining 6,250 bytes per 50 ms: 1 Mbit/s.
        for (int i = 0; i < 10; i++, now += 50 * MS) {
            rate.observe(now, taken, true);
            taken += 6_250;
        }
        assertThat(rate.bitsPerSecond(now - 50 * MS, FRESH)).isBetween(990_000L, 1_010_000L);
    }

    @Test
    void isUnknownUntilEnoughBackloggedTimeAndWhenStale() {
        DrainRate rate = new DrainRate();
        rate.observe(0, 0, true);
        rate.observe(200 * MS, 25_000, true);
        assertThat(rate.bitsPerSecond(200 * MS, FRESH)).as("200 ms of backlog").isEqualTo(-1);
        rate.observe(400 * MS, 50_000, true);
        assertThat(rate.bitsPerSecond(400 * MS, FRESH)).isBetween(990_000L, 1_010_000L);
        assertThat(rate.bitsPerSecond(400 * MS + FRESH + MS, FRESH)).as("stale").isEqualTo(-1);
    }

    @Test
    void aStalledLinkReadsZero() {
        DrainRate rate = new DrainRate();
        for (long t = 0; t <= 1000 * MS; t += 100 * MS) {
            rate.observe(t, 40_000, true);
        }
        assertThat(rate.bitsPerSecond(1000 * MS, FRESH)).isZero();
    }
}
