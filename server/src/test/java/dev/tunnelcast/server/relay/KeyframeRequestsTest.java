package dev.tunnelcast.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Keyframe requests on a fake clock and a fake scheduler: one per interval, none lost. */
class KeyframeRequestsTest {

    private static final long INTERVAL = TimeUnit.MILLISECONDS.toNanos(500);

    private long now = TimeUnit.SECONDS.toNanos(100);
    private final List<String> sent = new ArrayList<>();
    /** The deferred task and its delay, as the scheduler got them. */
    private final List<Runnable> scheduled = new ArrayList<>();
    private final List<Long> delays = new ArrayList<>();
    private final KeyframeRequests requests = new KeyframeRequests(INTERVAL, (task, delay) -> {
        scheduled.add(task);
        delays.add(delay);
    }, new Object(), () -> now, sent::add);

    private void advanceMillis(long millis) {
        now += TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void theFirstGoesAtOnceAndThoseWithinTheIntervalGoOnceAtItsEnd() {
        requests.request("join", now);
        assertThat(sent).containsExactly("join");
        advanceMillis(100);
        requests.request("drop", now);
        advanceMillis(100);
        requests.request("switch down", now);
        assertThat(sent).as("nothing more within the interval").containsExactly("join");
        assertThat(scheduled).hasSize(1);
        assertThat(delays).containsExactly(TimeUnit.MILLISECONDS.toNanos(400));
        advanceMillis(300);
        scheduled.get(0).run();
        assertThat(sent).as("one deferred request, with the latest reason").containsExactly("join", "switch down");
        // The deferred one starts a new interval.
        advanceMillis(100);
        requests.request("join", now);
        assertThat(scheduled).hasSize(2);
        assertThat(delays.get(1)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(400));
        advanceMillis(400);
        scheduled.get(1).run();
        advanceMillis(500);
        requests.request("drop", now);
        assertThat(sent).containsExactly("join", "switch down", "join", "drop");
        assertThat(scheduled).hasSize(2);
    }
}
