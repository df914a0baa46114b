package dev.tunnelcast.server.transport;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.server.clock.RelayClock;
import dev.tunnelcast.server.metrics.RelayMetrics;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Finds dead peers (a closed laptop lid, a NAT that forgot the mapping) in seconds: a client
 * that has sent nothing for {@code --ping-interval} gets a WebSocket ping, and one that then
 * sends nothing (no pong, no message) for {@code --pong-timeout} is closed with 4431. Any
 * bytes from the client count as an answer, so a busy publisher is never pinged. Browsers,
 * the JDK's and Undertow's WebSocket clients answer pings by themselves. Runs on the
 * connection's I/O thread, one timer at a time; counted as {@code tunnelcast_pings_total} and
 * {@code tunnelcast_refusals_total{code="4431"}}.
 */
final class Heartbeat {

    private final Connection connection;
    private final RelayClock clock;
    private final RelayMetrics metrics;
    private final long intervalNanos;
    private final long timeoutNanos;
    private volatile long lastHeardNanos;
    /** When the unanswered ping went out, or -1. Touched only by the timer. */
    private long pingSentAtNanos = -1;

    Heartbeat(Connection connection, RelayClock clock, RelayMetrics metrics, Duration interval, Duration timeout) {
        this.connection = connection;
        this.clock = clock;
        this.metrics = metrics;
        this.intervalNanos = interval.toNanos();
        this.timeoutNanos = timeout.toNanos();
        this.lastHeardNanos = clock.monotonicNanos();
    }

    /** Starts the timer; does nothing when pings are off (a zero interval). */
    void start() {
        if (intervalNanos > 0) {
            schedule(intervalNanos);
        }
    }

    /** Something arrived from the client: it is alive. */
    void heard() {
        lastHeardNanos = clock.monotonicNanos();
    }

    private void tick() {
        if (connection.isClosing()) {
            return;
        }
        long now = clock.monotonicNanos();
        long heard = lastHeardNanos;
        if (pingSentAtNanos >= 0 && heard - pingSentAtNanos < 0) {
            long waited = now - pingSentAtNanos;
            if (waited >= timeoutNanos) {
                connection.refuse(CloseCode.CLOSE_CODE_PING_TIMEOUT, "no answer to a ping within "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (--pong-timeout)");
            } else {
                schedule(timeoutNanos - waited);
            }
            return;
        }
        pingSentAtNanos = -1;
        long quiet = now - heard;
        if (quiet < intervalNanos) {
            schedule(intervalNanos - quiet);
            return;
        }
        pingSentAtNanos = now;
        metrics.pingSent();
        connection.socket().sendPing();
        // Look again after the interval: answered by then, the next ping goes out an interval after
        // the last thing heard; not, the wait for the timeout goes on.
        schedule(Math.min(intervalNanos, timeoutNanos));
    }

    private void schedule(long delayNanos) {
        try {
            connection.socket().executeAfter(this::tick, Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayNanos) + 1));
        } catch (RejectedExecutionException stopping) {
            // the I/O thread is stopping with the relay: the connection goes with it
        }
    }
}
