package dev.tunnelcast.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StageTimeTest {

    @Test
    void theMeanIsOverThePacketsBetweenTwoLooks() {
        StageTime before = new StageTime(10, 50_000);
        StageTime after = new StageTime(14, 50_000 + 4 * 6_500);
        assertEquals(6.5, after.meanMillisSince(before), 1e-9);
    }

    @Test
    void noPacketBetweenTheLooksHasNoMean() {
        StageTime look = new StageTime(3, 9_000);
        assertTrue(Double.isNaN(look.meanMillisSince(look)));
    }
}
