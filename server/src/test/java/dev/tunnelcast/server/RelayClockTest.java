package dev.tunnelcast.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Ping;
import dev.tunnelcast.proto.v1.Pong;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.server.clock.RelayClock;
import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.WsClient;
import org.junit.jupiter.api.Test;

/** Welcome and Pong carry the injected relay clock, not the machine's wall clock. */
class RelayClockTest {

    static final long ANCHOR_MICROS = 1_900_000_000_000_000L; // 2030-03-17

    @Test
    void welcomeAndPongUseTheRelayClock() {
        long startNanos = System.nanoTime();
        RelayClock clock = new RelayClock() {
            @Override
            public long nowMicros() {
                return ANCHOR_MICROS + (System.nanoTime() - startNanos) / 1000;
            }

            @Override
            public long monotonicNanos() {
                return System.nanoTime();
            }
        };
        try (Relay relay = Relay.start(TestRelays.config().clock(clock).build());
             WsClient player = WsClient.connect(TestRelays.playUri(relay, "clock"))) {
            player.send(Messages.hello(Role.ROLE_PLAYER));
            long welcome = player.next().envelope().getWelcome().getRelayTimeMicros();
            long elapsedMicros = (System.nanoTime() - startNanos) / 1000;
            assertThat(welcome).isBetween(ANCHOR_MICROS, ANCHOR_MICROS + elapsedMicros);

            player.send(Envelope.newBuilder().setPing(Ping.newBuilder().setId(1).setSendTimeMicros(5)).build());
            Pong pong = player.nextOf(Envelope.KindCase.PONG).getPong();
            long after = ANCHOR_MICROS + (System.nanoTime() - startNanos) / 1000;
            assertThat(pong.getReceiveTimeMicros()).isBetween(welcome, after);
            assertThat(pong.getSendTimeMicros()).isBetween(pong.getReceiveTimeMicros(), after);
        }
    }
}
