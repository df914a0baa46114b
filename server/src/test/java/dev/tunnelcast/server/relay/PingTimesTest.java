package dev.tunnelcast.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PingTimesTest {

    @Test
    void aPongIsTimedOnlyOnceAndOnlyForAPingTheRelaySentRecently() {
        PingTimes pings = new PingTimes();
        long first = pings.sent(1000);
        long second = pings.sent(2000);
        assertThat(pings.take(second + 1, 0)).as("never sent").isEqualTo(-1);
        assertThat(pings.take(0, 0)).isEqualTo(-1);
        assertThat(pings.take(-5, 0)).isEqualTo(-1);
        assertThat(pings.take(second, 0)).isEqualTo(2000);
        assertThat(pings.take(second, 0)).as("answered already").isEqualTo(-1);
        assertThat(pings.take(first, 0)).isEqualTo(1000);
        for (int i = 0; i < PingTimes.REMEMBERED; i++) {
            pings.sent(3000 + i);
        }
        long last = pings.sent(9000);
        assertThat(pings.take(last - PingTimes.REMEMBERED, 0)).as("forgotten: its slot is a newer Ping's").isEqualTo(-1);
        assertThat(pings.take(last, 0)).isEqualTo(9000);
    }

    @Test
    void aTrainsRateIsTheBytesBetweenItsPingsOverTheirArrivalsAtThePlayer() {
        PingTimes pings = new PingTimes();
        long head = pings.sent(1_000);
        long tail = pings.sentAfterTrain(1_000, head, 25_000);
        assertThat(pings.endedTrain(tail)).isTrue();
        assertThat(pings.endedTrain(head)).isFalse();
        assertThat(pings.trainBitsPerSecond(tail)).as("not answered yet").isEqualTo(-1);
        assertThat(pings.take(head, 5_000_000)).isEqualTo(1_000);
        assertThat(pings.trainBitsPerSecond(tail)).as("the last Ping not answered yet").isEqualTo(-1);
        assertThat(pings.take(tail, 5_200_000)).isEqualTo(1_000);
        assertThat(pings.trainBitsPerSecond(tail)).as("25 KB in 200 ms").isEqualTo(1_000_000);
        assertThat(pings.trainBitsPerSecond(head)).isEqualTo(-1);
    }
}
