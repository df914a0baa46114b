package dev.tunnelcast.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.WsClient;
import dev.tunnelcast.server.transport.CloseCode;
import org.junit.jupiter.api.Test;

class ShutdownTest {

    @Test
    void closingTheRelayClosesPublishersAndPlayersWith1001() {
        Relay relay = Relay.start(TestRelays.config().build());
        WsClient publisher = TestRelays.publisher(relay, "bye");
        WsClient player = TestRelays.player(relay, "bye");
        WsClient waiting = TestRelays.player(relay, "nobody-here");
        relay.close();
        assertThat(publisher.awaitClose().code()).isEqualTo(CloseCode.GOING_AWAY.code());
        assertThat(player.awaitClose().code()).isEqualTo(CloseCode.GOING_AWAY.code());
        assertThat(waiting.awaitClose().code()).isEqualTo(CloseCode.GOING_AWAY.code());
    }
}
