package dev.tunnelcast.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.server.access.AccessConfig;
import dev.tunnelcast.server.testing.Conditions;
import dev.tunnelcast.server.testing.RawSocket;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.TlsFixture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP connections without a request in progress (new ones, ones still sending a request
 * header, kept-alive ones) are bounded per client address and in all, timed by the header
 * timeout and counted; a request that announces a body is answered and closed. Raw sockets on
 * loopback; every wait is on a condition, with a generous deadline.
 */
class IdleConnectionsTest {

    static final Duration DEADLINE = Duration.ofSeconds(15);
    static final String HEALTH = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    @Test
    void newConnectionsOverTheBoundPerAddressAreClosedAtOnce() {
        try (Relay relay = Relay.start(TestRelays.config().maxIdlePerAddress(3).headerTimeout(Duration.ofSeconds(60)).build())) {
            List<RawSocket> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    silent.add(new RawSocket(relay, DEADLINE));
                }
                awaitMetric(relay, "tunnelcast_connections_idle{listener=\"main\"}", 3);
                try (RawSocket fourth = new RawSocket(relay, DEADLINE)) {
                    assertThat(fourth.awaitClosedByRelay()).as("the fourth connection is closed at once").isTrue();
                }
                assertThat(metric(relay, "tunnelcast_idle_refusals_total{bound=\"address\",listener=\"main\"}")).isEqualTo(1);
                assertThat(metric(relay, "tunnelcast_idle_refusals_total{bound=\"total\",listener=\"main\"}")).isZero();
                silent.remove(0).close(); // its place is free again
                awaitMetric(relay, "tunnelcast_connections_idle{listener=\"main\"}", 2);
                try (RawSocket next = new RawSocket(relay, DEADLINE)) {
                    next.write(HEALTH);
                    assertThat(next.readResponseHead()).startsWith("HTTP/1.1 200 ");
                }
                // The silent ones still hold their places, and are served when they speak.
                RawSocket first = silent.get(0);
                first.write(HEALTH);
                assertThat(first.readResponseHead()).startsWith("HTTP/1.1 200 ");
            } finally {
                silent.forEach(RawSocket::close);
            }
        }
    }

    @Test
    void newConnectionsOverTheTotalBoundAreClosedOnBothListeners(@TempDir Path dir) throws Exception {
        TlsFixture tls = TlsFixture.create(dir);
        try (Relay relay = Relay.start(TestRelays.config().maxIdleConnections(2).tlsPem(tls.cert(), tls.key()).tlsPort(0)
                .headerTimeout(Duration.ofSeconds(60)).build());
             RawSocket plain = new RawSocket(relay, DEADLINE);
             RawSocket noHandshake = new RawSocket(relay.tlsPort(), DEADLINE)) {
            awaitMetric(relay, "tunnelcast_connections_idle{listener=\"main\"}", 2);
            try (RawSocket third = new RawSocket(relay, DEADLINE); RawSocket thirdTls = new RawSocket(relay.tlsPort(), DEADLINE)) {
                assertThat(third.awaitClosedByRelay()).isTrue();
                assertThat(thirdTls.awaitClosedByRelay()).isTrue();
            }
            assertThat(metric(relay, "tunnelcast_idle_refusals_total{bound=\"total\",listener=\"main\"}")).isEqualTo(2);
        }
    }

    /** A kept-alive connection had its answer: a new connection over the bound takes its place. */
    @Test
    void aNewConnectionReplacesTheOldestKeptAliveOne() {
        try (Relay relay = Relay.start(TestRelays.config().maxIdlePerAddress(2).headerTimeout(Duration.ofSeconds(60)).build());
             RawSocket keptAlive = new RawSocket(relay, DEADLINE);
             RawSocket silent = new RawSocket(relay, DEADLINE)) {
            keptAlive.write(HEALTH);
            assertThat(keptAlive.readResponseHead()).startsWith("HTTP/1.1 200 ");
            assertThat(keptAlive.readBytes(3)).isEqualTo("ok\n".getBytes(StandardCharsets.US_ASCII));
            awaitMetric(relay, "tunnelcast_connections_idle{listener=\"main\"}", 2);
            try (RawSocket newcomer = new RawSocket(relay, DEADLINE)) {
                assertThat(keptAlive.awaitClosedByRelay()).as("the kept-alive connection gave its place").isTrue();
                newcomer.write(HEALTH);
                assertThat(newcomer.readResponseHead()).startsWith("HTTP/1.1 200 ");
            }
            silent.write(HEALTH);
            assertThat(silent.readResponseHead()).startsWith("HTTP/1.1 200 ");
            assertThat(metric(relay, "tunnelcast_keepalive_closes_total{listener=\"main\"}")).isEqualTo(1);
            assertThat(metric(relay, "tunnelcast_idle_refusals_total{bound=\"address\",listener=\"main\"}")).isZero();
        }
    }

    /** The header timeout runs again from the end of each request, and its closes are counted. */
    @Test
    void aKeptAliveConnectionWithoutANextRequestIsClosedByTheHeaderTimeout() {
        try (Relay relay = Relay.start(TestRelays.config().headerTimeout(Duration.ofMillis(300)).build());
             RawSocket keptAlive = new RawSocket(relay, DEADLINE)) {
            keptAlive.write(HEALTH);
            assertThat(keptAlive.readResponseHead()).startsWith("HTTP/1.1 200 ");
            assertThat(keptAlive.awaitClosedByRelay()).isTrue();
            assertThat(metric(relay, "tunnelcast_header_timeouts_total{listener=\"main\"}")).isEqualTo(1);
            awaitMetric(relay, "tunnelcast_connections_idle{listener=\"main\"}", 0);
        }
    }

    /**
     * No route reads a request body; one that is announced and never sent must not hold the
     * connection (before, Undertow waited for it forever and never even sent its answer).
     * Such a request gets 413 at once, and its connection is closed.
     */
    @Test
    void aRequestWhoseBodyNeverComesIsAnsweredAndClosed() {
        try (Relay relay = Relay.start(TestRelays.config().headerTimeout(Duration.ofSeconds(60)).build())) {
            for (String request : new String[] {
                "POST /api/streams HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n",
                "PUT /ws/publish/cam HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n",
                "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n12345",
            }) {
                try (RawSocket raw = new RawSocket(relay, DEADLINE)) {
                    raw.write(request);
                    assertThat(raw.readResponseHead()).as(request).startsWith("HTTP/1.1 413 ")
                            .containsIgnoringCase("\r\nConnection: close\r\n");
                    assertThat(raw.awaitClosedByRelay()).as(request).isTrue();
                }
            }
            awaitMetric(relay, "tunnelcast_connections_idle{listener=\"main\"}", 0);
            assertThat(metric(relay, "tunnelcast_http_bodies_refused_total{listener=\"main\"}")).isEqualTo(3);
        }
    }

    /**
     * The management listener ({@code --metrics-bind}) is bounded too, with a budget of its own:
     * silent connections to it are refused over the bound and counted under its name, while the
     * main listener still has room, and a header timeout closes them.
     */
    @Test
    void theManagementListenerIsBoundedWithABudgetOfItsOwn() {
        AccessConfig access = AccessConfig.defaults().withMetricsBind(InetSocketAddress.createUnresolved("127.0.0.1", 0));
        try (Relay relay = Relay.start(TestRelays.config().access(access).maxIdlePerAddress(2)
                .headerTimeout(Duration.ofSeconds(60)).build())) {
            List<RawSocket> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    silent.add(new RawSocket(relay.metricsPort(), DEADLINE));
                }
                awaitMetric(relay, "tunnelcast_connections_idle{listener=\"management\"}", 2);
                try (RawSocket third = new RawSocket(relay.metricsPort(), DEADLINE)) {
                    assertThat(third.awaitClosedByRelay()).as("the third connection is closed at once").isTrue();
                }
                assertThat(metric(relay, "tunnelcast_idle_refusals_total{bound=\"address\",listener=\"management\"}")).isEqualTo(1);
                assertThat(metric(relay, "tunnelcast_idle_refusals_total{bound=\"address\",listener=\"main\"}")).isZero();
                try (RawSocket main = new RawSocket(relay, DEADLINE)) {
                    main.write(HEALTH);
                    assertThat(main.readResponseHead()).as("the main listener's budget is its own").startsWith("HTTP/1.1 200 ");
                }
                RawSocket first = silent.get(0);
                first.write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                assertThat(first.readResponseHead()).startsWith("HTTP/1.1 200 ");
            } finally {
                silent.forEach(RawSocket::close);
            }
        }
        try (Relay relay = Relay.start(TestRelays.config().access(access).headerTimeout(Duration.ofMillis(300)).build());
             RawSocket slow = new RawSocket(relay.metricsPort(), DEADLINE)) {
            slow.write("GET /metr");
            assertThat(slow.awaitClosedByRelay()).as("a half-sent request on the management listener").isTrue();
            assertThat(metric(relay, "tunnelcast_header_timeouts_total{listener=\"management\"}")).isEqualTo(1);
        }
    }

    static void awaitMetric(Relay relay, String series, double value) {
        Conditions.await(series + " = " + value, DEADLINE, () -> metric(relay, series), v -> v == value);
    }

    /** One series' value in the relay's Prometheus exposition; fails if it is not exported. */
    static double metric(Relay relay, String series) {
        for (String line : relay.metrics().scrape().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError(series + " is not exported");
    }
}
