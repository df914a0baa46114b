package dev.tunnelcast.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RoundTripsTest {

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void theBaseIsTheLeastRoundTripOfTheLastTenSecondsAndQueuingWhatTheLastOneAddsToIt() {
        RoundTrips trips = new RoundTrips();
        assertThat(trips.measured()).isFalse();
        assertThat(trips.baseNanos()).isEqualTo(-1);
        assertThat(trips.queuingNanos()).isZero();
        long t = ms(1_000_000);
        trips.sample(t, ms(30));
        trips.sample(t + ms(1000), ms(12));
        trips.sample(t + ms(2000), ms(80));
        assertThat(trips.measured()).isTrue();
        assertThat(trips.baseNanos()).isEqualTo(ms(12));
        assertThat(trips.queuingNanos()).isEqualTo(ms(68));
        trips.sample(t + ms(11_000), ms(40));
        assertThat(trips.baseNanos()).as("12 ms still in the window (10 s)").isEqualTo(ms(12));
        trips.sample(t + ms(11_500), ms(45));
        assertThat(trips.baseNanos()).as("12 ms is 10.5 s old: the least since is 40").isEqualTo(ms(40));
        assertThat(trips.queuingNanos()).isEqualTo(ms(5));
    }
}
