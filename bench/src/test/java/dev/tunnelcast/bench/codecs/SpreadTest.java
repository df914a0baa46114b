package dev.tunnelcast.bench.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void oddCountTakesTheMiddleSample() {
        Spread s = Spread.of(9, 1, 5);
        assertEquals(5, s.median());
        assertEquals(1, s.min());
        assertEquals(9, s.max());
        assertEquals(3, s.samples());
        assertEquals(4, s.halfRange());
    }

    @Test
    void evenCountAveragesTheMiddleTwo() {
        assertEquals(2.5, Spread.of(4, 1, 3, 2).median());
    }

    @Test
    void doesNotReorderTheCallersSamples() {
        double[] samples = {3, 1, 2};
        Spread.of(samples);
        assertEquals(3, samples[0]);
    }

    @Test
    void noSamplesIsAnError() {
        assertThrows(IllegalArgumentException.class, Spread::of);
    }
}
