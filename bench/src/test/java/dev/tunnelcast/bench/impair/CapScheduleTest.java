package dev.tunnelcast.bench.impair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CapScheduleTest {

    @Test
    void dipDropsAndRecovers() {
        CapSchedule dip = CapSchedule.named("dip", 30, 1_500_000, 1_500_000);
        assertThat(dip.seconds()).isEqualTo(40);
        assertThat(dip.capAt(0)).isEqualTo(4_000_000);
        assertThat(dip.capAt(9)).isEqualTo(4_000_000);
        assertThat(dip.capAt(10)).isEqualTo(1_500_000);
        assertThat(dip.capAt(24)).isEqualTo(1_500_000);
        assertThat(dip.capAt(25)).isEqualTo(4_000_000);
        assertThat(dip.describe()).isEqualTo("4.0 Mbit/s, then 1.5 Mbit/s from 10 s, then 4.0 Mbit/s from 25 s for 40 s");
    }

    @Test
    void capLastsTheGivenSeconds() {
        CapSchedule cap = CapSchedule.named("cap", 12, 1_500_000, 1_500_000);
        assertThat(cap.seconds()).isEqualTo(12);
        assertThat(cap.capAt(11)).isEqualTo(1_500_000);
    }

    @Test
    void rejectsBadSchedules() {
        assertThatThrownBy(() -> CapSchedule.named("flood", 10, 1_500_000, 1_500_000)).hasMessageContaining("known: cap, dip");
        assertThatThrownBy(() -> new CapSchedule("x", 10, List.of(new CapSchedule.Step(1, 1000))))
                .hasMessageContaining("starts at second 0");
        assertThatThrownBy(() -> new CapSchedule("x", 10, List.of(new CapSchedule.Step(0, 1000), new CapSchedule.Step(0, 2000))))
                .hasMessageContaining("time order");
    }
}
