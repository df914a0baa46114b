package dev.tunnelcast.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Ping;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.RawSocket;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.WsClient;
import dev.tunnelcast.proto.v1.CloseCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What real clients never send, over raw sockets on loopback: frame headers without their
 * payload, unsupported WebSocket versions, request headers that never end. Each read waits
 * at most {@link #DEADLINE}: generous, because the relay acts on its own timeouts, which
 * these tests set small.
 */
class HttpHardeningTest {

    static final Duration DEADLINE = Duration.ofSeconds(15);
    static Relay relay;

    @BeforeAll
    static void start() {
        relay = Relay.start(TestRelays.config().maxMessageBytes(64 * 1024).build());
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void aFrameHeaderAnnouncingMoreThanTheCapIsRefusedBeforeItsBody() {
        double before = relay.metrics().refusals(CloseCode.CLOSE_CODE_MESSAGE_TOO_BIG);
        try (RawSocket raw = new RawSocket(relay, DEADLINE)) {
            raw.upgrade("/ws/publish/huge");
            raw.sendBinary(Messages.hello(Role.ROLE_PUBLISHER));
            raw.write(RawSocket.frameHeader(100_000_000, new byte[] {1, 2, 3, 4})); // and no body
            assertThat(raw.awaitCloseCode()).isEqualTo(CloseCode.CLOSE_CODE_MESSAGE_TOO_BIG.getNumber());
        }
        assertThat(relay.metrics().refusals(CloseCode.CLOSE_CODE_MESSAGE_TOO_BIG)).isEqualTo(before + 1);
    }

    /**
     * Slow-loris clients (a request header a byte at a time), a half-sent header and a
     * connection that sends nothing are all closed once the header timeout has passed, and
     * counted; a WebSocket opened before them, and older than the timeout by then, stays open.
     */
    @Test
    void requestHeadersThatNeverEndAreClosed() throws Exception {
        try (Relay strict = Relay.start(TestRelays.config().headerTimeout(Duration.ofMillis(300)).build());
             WsClient player = TestRelays.player(strict, "watching")) {
            List<RawSocket> clients = new ArrayList<>();
            byte[] header = RawSocket.upgradeRequest("/ws/play/loris", "13").getBytes(StandardCharsets.US_ASCII);
            try {
                for (int i = 0; i < 10; i++) {
                    clients.add(new RawSocket(strict, DEADLINE));
                }
                RawSocket halfSent = new RawSocket(strict, DEADLINE);
                halfSent.write("GET /api/streams HTTP/1.1\r\nHost: 127.0.0.1\r\n");
                RawSocket silent = new RawSocket(strict, DEADLINE);
                // The slow-loris clients send one byte each per round, for far longer than the timeout.
                for (int round = 0; round < 30 && round < header.length - 1; round++) {
                    for (RawSocket loris : clients) {
                        loris.write(new byte[] {header[round]});
                    }
                    Thread.sleep(50);
                }
                clients.add(halfSent);
                clients.add(silent);
                for (int i = 0; i < clients.size(); i++) {
                    assertThat(clients.get(i).awaitClosedByRelay()).as("client " + i + " closed by the relay").isTrue();
                }
            } finally {
                clients.forEach(RawSocket::close);
            }
            assertThat(strict.metrics().scrape()).contains("tunnelcast_header_timeouts_total{listener=\"main\"} 12.0");
            player.send(Envelope.newBuilder().setPing(Ping.newBuilder().setId(7)).build());
            assertThat(player.nextOf(Envelope.KindCase.PONG).getPong().getId()).isEqualTo(7);
        }
    }

    /** WebSockets that have not sent Hello are bounded per client address and in all (4429), and counted. */
    @Test
    void connectionsWaitingForHelloAreBounded() {
        try (Relay bounded = Relay.start(TestRelays.config().maxPendingPerAddress(2).build())) {
            WsClient first = WsClient.connect(TestRelays.playUri(bounded, "p"));
            WsClient second = WsClient.connect(TestRelays.playUri(bounded, "p"));
            WsClient third = WsClient.connect(TestRelays.publishUri(bounded, "p"));
            RefusalTest.assertRefused(third, CloseCode.CLOSE_CODE_TOO_MANY);
            assertThat(bounded.metrics().scrape()).contains("tunnelcast_pending_refusals_total{bound=\"address\"} 1.0");
            first.send(Messages.hello(Role.ROLE_PLAYER)); // no longer pending: its place is free
            first.nextOf(Envelope.KindCase.WELCOME);
            TestRelays.player(bounded, "p").close();
            second.close();
            first.close();
        }
        try (Relay bounded = Relay.start(TestRelays.config().maxPendingConnections(1).build())) {
            WsClient first = WsClient.connect(TestRelays.playUri(bounded, "p"));
            assertThat(bounded.metrics().scrape()).contains("tunnelcast_connections_pending 1.0");
            WsClient second = WsClient.connect(TestRelays.playUri(bounded, "p"));
            RefusalTest.assertRefused(second, CloseCode.CLOSE_CODE_TOO_MANY);
            assertThat(bounded.metrics().scrape()).contains("tunnelcast_pending_refusals_total{bound=\"total\"} 1.0");
            first.close();
        }
    }

    @Test
    void anUnsupportedWebSocketVersionGets426NamingTheSupportedOne() {
        for (String path : new String[] {"/ws/play/v", "/ws/publish/v"}) {
            try (RawSocket raw = new RawSocket(relay, DEADLINE)) {
                raw.write(RawSocket.upgradeRequest(path, "12"));
                String head = raw.readResponseHead();
                assertThat(head).startsWith("HTTP/1.1 426 ").containsIgnoringCase("\r\nSec-WebSocket-Version: 13\r\n");
            }
        }
    }
}
