package dev.tunnelcast.bench.impair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LinkProfileTest {

    @Test
    void stallsSitAtTheEndOfEachPeriod() {
        LinkProfile p = LinkProfile.clean().withStalls(1000, 10_000);
        assertThat(p.stallRemainingNanos(ms(8_999))).isZero();
        assertThat(p.stallRemainingNanos(ms(9_000))).isEqualTo(ms(1_000));
        assertThat(p.stallRemainingNanos(ms(9_750))).isEqualTo(ms(250));
        assertThat(p.stallRemainingNanos(ms(10_000))).isZero();
        assertThat(p.stallRemainingNanos(ms(19_500))).isEqualTo(ms(500));
        assertThat(LinkProfile.clean().stallRemainingNanos(ms(9_500))).isZero();
    }

    @Test
    void rejectsImpossibleProfiles() {
        assertThatThrownBy(() -> LinkProfile.clean().withStalls(1000, 1000)).hasMessageContaining("shorter than its period");
        assertThatThrownBy(() -> LinkProfile.clean().withDelay(-1, Jitter.none())).hasMessageContaining("≥ 0");
        assertThatThrownBy(() -> Jitter.heavyTail(0, 1.5, 100)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jitterSamplesStayInTheirRanges() {
        Random r = new Random(3);
        double uniformMax = 0;
        double uniformSum = 0;
        int over50 = 0;
        double tailMax = 0;
        for (int i = 0; i < 20_000; i++) {
            double u = Jitter.uniform(10).sampleMs(r);
            assertThat(u).isBetween(0.0, 20.0);
            uniformMax = Math.max(uniformMax, u);
            uniformSum += u;
            double t = Jitter.heavyTail(5, 1.2, 400).sampleMs(r);
            assertThat(t).isBetween(0.0, 400.0);
            if (t > 50) over50++;
            tailMax = Math.max(tailMax, t);
            assertThat(Jitter.normal(10).sampleMs(r)).isNotNegative();
        }
        assertThat(uniformSum / 20_000).isBetween(9.5, 10.5);
        assertThat(uniformMax).isGreaterThan(19.5);
        // Pareto(5, 1.2): P(X − 5 > 50) = (5/55)^1.2 ≈ 5.6 %; a heavy tail reaches the cap.
        assertThat(over50 / 20_000.0).isBetween(0.04, 0.075);
        assertThat(tailMax).isEqualTo(400.0);
    }

    @Test
    void describesItselfForReports() {
        assertThat(LinkProfile.clean().describe()).isEqualTo("no impairment");
        assertThat(LinkProfile.clean().withDelay(20, Jitter.uniform(10)).withCap(4_000_000).withStalls(1000, 10_000).describe())
                .isEqualTo("delay 20 ms, jitter uniform 0-20 ms, cap 4.00 Mbit/s, stall 1000 ms every 10 s");
    }

    private static long ms(long millis) {
        return millis * 1_000_000L;
    }
}
