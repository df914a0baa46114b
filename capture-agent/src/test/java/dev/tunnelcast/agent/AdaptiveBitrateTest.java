package dev.tunnelcast.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdaptiveBitrateTest {

    @Test
    void backsOffOnCongestionAndRecoversSlowlyToTheTarget() {
        List<Integer> applied = new ArrayList<>();
        AdaptiveBitrate a = new AdaptiveBitrate(2_000_000, 300_000, applied::add);
        a.onCongestion(1_000_000);
        assertThat(a.currentBps()).isEqualTo(1_400_000);
        a.onCongestion(1_500_000); // within the hold time: one step per second at most
        assertThat(a.currentBps()).isEqualTo(1_400_000);
        for (int i = 0; i < 10; i++) {
            a.onCongestion(3_000_000L + i * 1_000_000L);
        }
        assertThat(a.currentBps()).isEqualTo(300_000); // the floor
        a.onTick(13_000_000);
        assertThat(a.currentBps()).as("not before 5 s without drops").isEqualTo(300_000);
        long t = 12_000_000;
        for (int i = 0; i < 40; i++) {
            t += 5_000_000;
            a.onTick(t);
        }
        assertThat(a.currentBps()).isEqualTo(2_000_000);
        assertThat(applied.get(0)).isEqualTo(1_400_000);
        assertThat(applied.get(applied.size() - 1)).isEqualTo(2_000_000);
    }
}
