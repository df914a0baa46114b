package dev.tunnelcast.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.server.archive.HeadlessChromium;
import dev.tunnelcast.server.metrics.RelayMetrics;
import dev.tunnelcast.server.testing.Conditions;
import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.RawSocket;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay pings quiet clients and closes those that do not answer with 4431, over real
 * sockets on loopback: raw clients that never answer or stop answering, and clients that
 * answer by themselves and stay: the JDK's WebSocket client (the agent's) and the player
 * page in headless Chromium.
 */
class HeartbeatTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Relay relay() {
        return Relay.start(TestRelays.config().pingInterval(Duration.ofMillis(200)).pongTimeout(Duration.ofSeconds(2)).build());
    }

    @Test
    void aClientThatNeverAnswersPingsIsClosedWith4431() {
        try (Relay relay = relay(); RawSocket raw = new RawSocket(relay, WAIT)) {
            raw.upgrade("/ws/play/quiet");
            raw.sendBinary(Messages.hello(Role.ROLE_PLAYER));
            assertThat(raw.awaitCloseCode()).isEqualTo(CloseCode.CLOSE_CODE_PING_TIMEOUT.getNumber());
            assertThat(relay.metrics().refusals(CloseCode.CLOSE_CODE_PING_TIMEOUT)).isEqualTo(1.0);
            // At least one: on a busy machine the Hello may be read after the first ping, and count as its answer.
            assertThat(relay.metrics().pingsSent()).isGreaterThanOrEqualTo(1.0);
            assertThat(relay.metrics().pingAnswers()).isZero();
            assertThat(TestRelays.get(relay, "/metrics").body())
                    .containsPattern("tunnelcast_pings_total [1-9]")
                    .contains("tunnelcast_ping_answers_total 0.0")
                    .contains("tunnelcast_refusals_total{code=\"4431\",name=\"ping_timeout\"} 1.0");
        }
    }

    @Test
    void aClientThatAnswersAndThenStopsIsClosedWith4431() {
        try (Relay relay = relay(); RawSocket raw = new RawSocket(relay, WAIT)) {
            raw.upgrade("/ws/play/stops");
            raw.sendBinary(Messages.hello(Role.ROLE_PLAYER));
            int answered = 0;
            RawSocket.Frame frame;
            while ((frame = raw.readFrame()) != null && frame.opcode() != 0x8) {
                if (frame.opcode() == 0x9 && answered < 3) {
                    raw.sendPong(frame.payload());
                    answered++;
                }
            }
            assertThat(frame).as("a close frame").isNotNull();
            int code = ((frame.payload()[0] & 0xff) << 8) | (frame.payload()[1] & 0xff);
            assertThat(code).isEqualTo(CloseCode.CLOSE_CODE_PING_TIMEOUT.getNumber());
            assertThat(answered).isEqualTo(3);
            assertThat(relay.metrics().pingAnswers()).isEqualTo(3.0);
            assertThat(relay.metrics().pingsSent()).isGreaterThanOrEqualTo(4.0);
        }
    }

    @Test
    void anIdleJdkClientAnswersPingsAndStays() {
        try (Relay relay = relay()) {
            WsClient player = TestRelays.player(relay, "idle");
            // Each ping after the first goes out only once the previous one was answered.
            Conditions.await("pings answered by the JDK client", WAIT, () -> relay.metrics().pingAnswers(), n -> n >= 5);
            assertThat(player.isClosed()).isFalse();
            assertThat(relay.metrics().refusals(CloseCode.CLOSE_CODE_PING_TIMEOUT)).isZero();
            player.close();
        }
    }

    @Test
    void thePlayerPageInChromiumAnswersPings(@TempDir Path browserHome) throws Exception {
        try (Relay relay = relay();
             HeadlessChromium chromium = new HeadlessChromium(browserHome, relay.baseUri().resolve("/#/play/idle").toString())) {
            Conditions.await("a player connected", WAIT, () -> relay.metrics().openConnections(
                    RelayMetrics.Role.PLAYER), n -> n >= 1);
            // The page pings the relay every 2 s itself; at a 200 ms interval the relay still pings it in between.
            Conditions.await("pings answered by Chromium", WAIT, () -> relay.metrics().pingAnswers(), n -> n >= 5);
            assertThat(relay.metrics().refusals(CloseCode.CLOSE_CODE_PING_TIMEOUT)).isZero();
            assertThat(relay.metrics().openConnections(RelayMetrics.Role.PLAYER)).isEqualTo(1);
        }
    }
}
