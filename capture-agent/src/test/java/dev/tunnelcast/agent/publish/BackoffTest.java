package dev.tunnelcast.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesUpToTheCapWithJitterInTheUpperHalf() {
        Backoff b = new Backoff(200, 3000, new SplittableRandom(42));
        long[] ceilings = {200, 400, 800, 1600, 3000, 3000};
        for (long ceiling : ceilings) {
            assertThat(b.nextDelayMillis()).isBetween(ceiling / 2, ceiling);
        }
        b.reset();
        assertThat(b.nextDelayMillis()).isBetween(100L, 200L);
    }

    @Test
    void jitterSpreadsAgentsApart() {
        Backoff a = new Backoff(1000, 1000, new SplittableRandom(1));
        Backoff c = new Backoff(1000, 1000, new SplittableRandom(2));
        long differences = 0;
        for (int i = 0; i < 20; i++) {
            differences += a.nextDelayMillis() != c.nextDelayMillis() ? 1 : 0;
        }
        assertThat(differences).isGreaterThan(15);
    }
}
