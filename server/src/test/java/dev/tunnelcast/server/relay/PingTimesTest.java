package dev.tunnelcast.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PingTimesTest {

    @Test
    void aPongIsTimedOnlyOnceAndOnlyForAPingTheRelaySentRecently() {
        PingTimes pings = new PingTimes();
        long first = pings.sent(1000);
        long second = pings.sent(2000);
        assertThat(pings.take(second + 1)).as("never sent").isEqualTo(-1);
        assertThat(pings.take(0)).isEqualTo(-1);
        assertThat(pings.take(-5)).isEqualTo(-1);
        assertThat(pings.take(second)).isEqualTo(2000);
        assertThat(pings.take(second)).as("answered already").isEqualTo(-1);
        assertThat(pings.take(first)).isEqualTo(1000);
        for (int i = 0; i < PingTimes.REMEMBERED; i++) {
            pings.sent(3000 + i);
        }
        long last = pings.sent(9000);
        assertThat(pings.take(last - PingTimes.REMEMBERED)).as("forgotten: its slot is a newer Ping's").isEqualTo(-1);
        assertThat(pings.take(last)).isEqualTo(9000);
    }
}
