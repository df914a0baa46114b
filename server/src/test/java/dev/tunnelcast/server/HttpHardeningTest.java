package dev.tunnelcast.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.RawSocket;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.transport.CloseCode;
import java.time.Duration;
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
        double before = relay.metrics().refusals(CloseCode.MESSAGE_TOO_BIG);
        try (RawSocket raw = new RawSocket(relay, DEADLINE)) {
            raw.upgrade("/ws/publish/huge");
            raw.sendBinary(Messages.hello(Role.ROLE_PUBLISHER));
            raw.write(RawSocket.frameHeader(100_000_000, new byte[] {1, 2, 3, 4})); // and no body
            assertThat(raw.awaitCloseCode()).isEqualTo(CloseCode.MESSAGE_TOO_BIG.code());
        }
        assertThat(relay.metrics().refusals(CloseCode.MESSAGE_TOO_BIG)).isEqualTo(before + 1);
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
