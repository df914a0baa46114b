package dev.tunnelcast.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void medianAndRangeLeaveNaNOut() {
        Spread s = Spread.of(5, Double.NaN, 1, 9, 3);
        assertThat(s.median()).isEqualTo(4.0); // of 1, 3, 5, 9
        assertThat(s.min()).isEqualTo(1.0);
        assertThat(s.max()).isEqualTo(9.0);
        assertThat(s.samples()).isEqualTo(4);
        assertThat(s.halfRange()).isEqualTo(4.0);
        assertThat(s.format("%.1f")).isEqualTo("4.0 (1.0–9.0)");
    }

    @Test
    void oneOrNoSample() {
        assertThat(Spread.of(7).format("%.0f")).isEqualTo("7");
        assertThat(Spread.of(Double.NaN).format("%.0f")).isEqualTo("–");
        assertThat(Spread.of().halfRange()).isZero();
    }
}
