package dev.tunnelcast.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.bench.cluster.HopFigures.Received;
import dev.tunnelcast.bench.cluster.HopPlayer.Arrival;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HopFiguresTest {

    @Test
    void theHopIsTheRemoteArrivalMinusTheFirstLocalOneOfTheSamePacket() {
        List<Arrival> fast = new ArrayList<>();
        List<Arrival> slow = new ArrayList<>();
        List<Arrival> remote = new ArrayList<>();
        for (long seq = 0; seq < 100; seq++) {
            long sent = 1_000_000 + seq * 1000;
            fast.add(new Arrival(1, seq, sent, sent + 300));
            slow.add(new Arrival(1, seq, sent, sent + 900));
            remote.add(new Arrival(1, seq, sent, sent + 300 + (seq < 98 ? 500 : 4000))); // two late packets
        }
        remote.add(new Arrival(2, 0, 1_000_000, 1_000_800)); // audio 0: no local arrival, no hop sample

        HopFigures figures = HopFigures.of("n1", List.of(new Received("n1", fast), new Received("n1", slow),
                new Received("n2", remote)), 1_000_000, 1_100_000);

        assertThat(figures.hopSamples()).isEqualTo(100);
        assertThat(figures.hopP50Millis()).isEqualTo(0.5);
        assertThat(figures.hopP99Millis()).isEqualTo(4.0);
        assertThat(figures.localP50Millis()).isEqualTo(0.3);
        assertThat(figures.remoteP50Millis()).isEqualTo(0.8);
        assertThat(figures.fewestPacketsPerPlayer()).isEqualTo(100);
    }

    @Test
    void packetsSentOutsideTheWindowDoNotCount() {
        List<Arrival> local = List.of(new Arrival(1, 0, 10, 20), new Arrival(1, 1, 50, 60));
        List<Arrival> remote = List.of(new Arrival(1, 0, 10, 1020), new Arrival(1, 1, 50, 80));

        HopFigures figures = HopFigures.of("n1", List.of(new Received("n1", local), new Received("n2", remote)), 40, 100);

        assertThat(figures.hopSamples()).isEqualTo(1);
        assertThat(figures.hopP99Millis()).isEqualTo(0.02);
    }
}
