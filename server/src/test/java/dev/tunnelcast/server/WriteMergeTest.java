package dev.tunnelcast.server;

import static dev.tunnelcast.server.testing.Messages.AUDIO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.StatusCode;
import dev.tunnelcast.server.testing.Conditions;
import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --player-write-merge} over real sockets: a burst the publisher sends within the merge
 * reaches the player whole and in order, in fewer writes than messages. When exactly the pump
 * waits is checked without sockets ({@code BatchedWritesTest}): here a write still completing as
 * the burst begins may take its first message at once, which a machine's load decides.
 */
class WriteMergeTest {

    private static final Duration MERGE = Duration.ofMillis(300);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aBurstWithinTheMergeArrivesWholeAndInOrderInFewerWritesThanMessages() {
        try (Relay relay = Relay.start(TestRelays.config().playerWriteMerge(MERGE).build());
             WsClient player = TestRelays.player(relay, "merged");
             WsClient publisher = TestRelays.publisher(relay, "merged")) {
            assertThat(player.next().envelope().getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_STREAM_ONLINE);
            List<byte[]> burst = new ArrayList<>();
            burst.add(Messages.audioConfig(AUDIO).toByteArray());
            for (int i = 0; i < 20; i++) {
                burst.add(Messages.packet(AUDIO, i, false, 160).toByteArray());
            }
            double messagesBefore = relay.metrics().messagesSent();
            double batchesBefore = relay.metrics().batchesSent();
            burst.forEach(publisher::sendBytes);
            for (byte[] expected : burst) {
                assertThat(player.next().bytes()).isEqualTo(expected);
            }
            Conditions.await("every message of the burst counted as written", WAIT,
                    () -> relay.metrics().messagesSent() - messagesBefore, n -> n >= burst.size());
            assertThat(relay.metrics().batchesSent() - batchesBefore).as("writes for %d messages", burst.size())
                    .isGreaterThanOrEqualTo(1).isLessThan(burst.size());
        }
    }
}
