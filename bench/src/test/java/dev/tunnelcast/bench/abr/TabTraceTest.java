package dev.tunnelcast.bench.abr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-second aggregation of one player's reads, and a run's figures from its seconds. */
class TabTraceTest {

    @Test
    void aSecondTakesTheBytesItsLinkCarriedAndTheCountersDifferences() {
        TabTrace trace = new TabTrace(sample(0, List.of(), "540p · layer 1 of 3", 100, 2, 1));
        TabSecond s = trace.add(1, sample(150, List.of(50.0, 70.0, 60.0), "360p · layer 2 of 3", 127, 3, 1), 125_000, 1000);
        assertThat(s.receivedKbps()).isEqualTo(1000); // 125,000 bytes in a second
        assertThat(s.layer()).isEqualTo("360p");
        assertThat(s.layerHeight()).isEqualTo(360);
        assertThat(s.framesShown()).isEqualTo(27);
        assertThat(s.layerSwitches()).isEqualTo(1);
        assertThat(s.reconnects()).isZero();
        assertThat(s.stalledMs()).isEqualTo(150);
        assertThat(s.latencyP50Ms()).isEqualTo(60);
        assertThat(s.latencySamples()).isEqualTo(3);
    }

    @Test
    void aPlayerThatStartedOverCountsFromZeroNotBelow() {
        TabTrace trace = new TabTrace(sample(0, List.of(), "", 900, 4, 0));
        TabSecond s = trace.add(1, sample(0, List.of(), "", 20, 0, 1), 0, 1000);
        assertThat(s.framesShown()).isZero();
        assertThat(s.layerSwitches()).isZero();
        assertThat(s.reconnects()).isEqualTo(1);
        assertThat(s.layer()).isEmpty();
        assertThat(s.layerHeight()).isZero();
    }

    @Test
    void aRunsFiguresComeFromAllItsSeconds() {
        TabTrace trace = new TabTrace(sample(0, List.of(), "540p · layer 1 of 3", 0, 0, 0));
        trace.add(1, sample(0, List.of(40.0, 50.0), "540p · layer 1 of 3", 30, 0, 0), 250_000, 1000);
        trace.add(2, sample(300, List.of(400.0), "360p · layer 2 of 3", 50, 1, 0), 100_000, 1000);
        trace.add(3, sample(0, List.of(60.0, 70.0, 80.0), "360p · layer 2 of 3", 80, 1, 0), 100_000, 1000);
        trace.add(4, sample(0, List.of(60.0), "360p · layer 2 of 3", 110, 1, 0), 100_000, 1000);
        TabFigures f = trace.figures();
        assertThat(f.receivedKbps()).isEqualTo((2000 + 800 * 3) / 4.0);
        assertThat(f.stalledPercent()).isCloseTo(100 * 300 / 4000.0, within(1e-9));
        assertThat(f.stalls()).isEqualTo(1);
        assertThat(f.latencySamples()).isEqualTo(7);
        assertThat(f.latencyP50Ms()).isEqualTo(60); // 40 50 60 60 70 80 400: the 4th
        assertThat(f.latencyP95Ms()).isEqualTo(400);
        assertThat(f.layerSwitches()).isEqualTo(1);
        assertThat(f.framesPerSecond()).isEqualTo(27.5);
        assertThat(f.percentOn("540p")).isEqualTo(25);
        assertThat(f.percentOn("360p")).isEqualTo(75);
        assertThat(f.percentOn("180p")).isZero();
    }

    @Test
    void noSecondsAreNoFigures() {
        TabFigures f = new TabTrace(sample(0, List.of(), "", 0, 0, 0)).figures();
        assertThat(f.stalledPercent()).isNaN();
        assertThat(f.latencyP50Ms()).isNaN();
        assertThat(f.layerPercent()).isEmpty();
    }

    @Test
    void layerNamesAndPercentiles() {
        assertThat(TabTrace.layerName("180p · layer 3 of 3")).isEqualTo("180p");
        assertThat(TabTrace.layerHeight("odd")).isZero();
        assertThat(TabTrace.percentile(List.of(3.0, 1.0, 2.0), 0.5)).isEqualTo(2);
        assertThat(TabTrace.percentile(List.of(5.0), 0.95)).isEqualTo(5);
        assertThat(TabTrace.percentile(List.of(), 0.5)).isNaN();
    }

    static PageWatch.Sample sample(double stalledMs, List<Double> latencies, String layer, long framesShown, long switches,
                                   long reconnects) {
        return new PageWatch.Sample(stalledMs, stalledMs > 0 ? 1 : 0, latencies, 50, "playing", layer, framesShown, switches, 0,
                reconnects, 0, -3.5);
    }
}
