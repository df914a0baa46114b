package dev.tunnelcast.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.server.relay.StreamObserver;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.WsClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ShutdownTest {

    @Test
    void closingTheRelayClosesPublishersAndPlayersWith1001() {
        List<String> stopped = new CopyOnWriteArrayList<>();
        Relay relay = Relay.start(TestRelays.config().build());
        relay.addObserver(new StreamObserver() {
            @Override
            public void publisherStopped(String stream, String sessionId) {
                stopped.add(stream);
            }
        });
        WsClient publisher = TestRelays.publisher(relay, "bye");
        WsClient player = TestRelays.player(relay, "bye");
        WsClient waiting = TestRelays.player(relay, "nobody-here");
        relay.close();
        assertThat(stopped).as("observers see the publication end before close() returns").containsExactly("bye");
        assertThat(publisher.awaitClose().code()).isEqualTo(CloseCode.CLOSE_CODE_GOING_AWAY.getNumber());
        assertThat(player.awaitClose().code()).isEqualTo(CloseCode.CLOSE_CODE_GOING_AWAY.getNumber());
        assertThat(waiting.awaitClose().code()).isEqualTo(CloseCode.CLOSE_CODE_GOING_AWAY.getNumber());
    }
}
