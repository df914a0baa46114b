package dev.tunnelcast.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpreadTest {
    @Test
    void medianAndRangeOfOddAndEvenCounts() {
        assertThat(Spread.of(9, 1, 5)).isEqualTo(new Spread(5, 1, 9, 3));
        assertThat(Spread.of(4, 1, 3, 2).median()).isEqualTo(2.5);
        assertThat(Spread.of(4, 1, 3, 2).halfRange()).isEqualTo(1.5);
    }

    @Test
    void missingRunsAreLeftOutNotAveragedIn() {
        assertThat(Spread.of(Double.NaN, 10, 20)).isEqualTo(new Spread(15, 10, 20, 2));
        assertThat(Spread.of(Double.NaN).format(0)).isEqualTo("—");
    }

    @Test
    void formatsMedianWithRange() {
        assertThat(Spread.of(85, 87, 92).format(0)).isEqualTo("87 (85–92)");
        assertThat(Spread.of(1.25).format(1)).isEqualTo("1.3");
        assertThat(Spread.of(3, 3).format(0)).isEqualTo("3");
    }
}
