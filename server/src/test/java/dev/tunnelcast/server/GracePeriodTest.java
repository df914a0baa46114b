package dev.tunnelcast.server;

import static dev.tunnelcast.server.testing.Messages.AUDIO;
import static dev.tunnelcast.server.testing.Messages.VIDEO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.EndOfStream;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.proto.v1.StatusCode;
import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.WsClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A publisher leaves and returns within the grace period; after it, players are closed with 4410. */
class GracePeriodTest {

    @Test
    void playersWaitResumeFromAKeyframeAndEndAfterTheGracePeriod() {
        try (Relay relay = Relay.start(TestRelays.config().gracePeriod(Duration.ofMillis(1200)).build())) {
            WsClient player = WsClient.connect(TestRelays.playUri(relay, "cam"));
            player.send(Messages.hello(Role.ROLE_PLAYER));
            assertThat(player.next().envelope().hasWelcome()).isTrue();
            assertThat(status(player)).isEqualTo(StatusCode.STATUS_CODE_STREAM_WAITING);

            WsClient first = TestRelays.publisher(relay, "cam");
            assertThat(status(player)).isEqualTo(StatusCode.STATUS_CODE_STREAM_ONLINE);
            first.send(Messages.videoConfig(VIDEO));
            first.send(Messages.packet(VIDEO, 100, true, 500));
            assertThat(player.nextOf(Envelope.KindCase.TRACK_CONFIG).getTrackConfig().getTrackId()).isEqualTo(VIDEO);
            assertThat(player.next().envelope().getMediaPacket().getSequence()).isEqualTo(100);
            first.send(Envelope.newBuilder().setEndOfStream(EndOfStream.newBuilder().setReason("camera unplugged")).build());
            assertThat(first.awaitClose().code()).isEqualTo(CloseCode.CLOSE_CODE_NORMAL.getNumber());
            assertThat(status(player)).isEqualTo(StatusCode.STATUS_CODE_STREAM_OFFLINE);

            // A player arriving now learns the stream is offline.
            WsClient latecomer = TestRelays.player(relay, "cam");

            // The publisher comes back (new encoder): players get the new configs and video from a keyframe.
            WsClient second = TestRelays.publisher(relay, "cam");
            assertThat(status(player)).isEqualTo(StatusCode.STATUS_CODE_STREAM_ONLINE);
            assertThat(status(latecomer)).isEqualTo(StatusCode.STATUS_CODE_STREAM_ONLINE);
            byte[] video = Messages.videoConfig(VIDEO).toByteArray();
            byte[] audio = Messages.audioConfig(AUDIO).toByteArray();
            byte[] audio0 = Messages.packet(AUDIO, 0, false, 80).toByteArray();
            byte[] key1 = Messages.packet(VIDEO, 1, true, 900).toByteArray();
            second.sendBytes(video);
            second.sendBytes(audio);
            second.send(Messages.packet(VIDEO, 0, false, 700)); // not a keyframe: withheld from resuming players
            second.sendBytes(audio0);
            second.sendBytes(key1);
            for (WsClient p : new WsClient[] {player, latecomer}) {
                assertThat(p.next().bytes()).isEqualTo(video);
                assertThat(p.next().bytes()).isEqualTo(audio);
                assertThat(p.next().bytes()).isEqualTo(audio0);
                assertThat(p.next().bytes()).isEqualTo(key1);
            }

            // It leaves without a word; after the grace period players get EndOfStream and 4410.
            second.close();
            assertThat(status(player)).isEqualTo(StatusCode.STATUS_CODE_STREAM_OFFLINE);
            long offlineAt = System.nanoTime();
            assertThat(player.nextOf(Envelope.KindCase.END_OF_STREAM).getEndOfStream().getReason()).contains("grace");
            assertThat(player.awaitClose().code()).isEqualTo(CloseCode.CLOSE_CODE_STREAM_ENDED.getNumber());
            assertThat(Duration.ofNanos(System.nanoTime() - offlineAt)).isGreaterThan(Duration.ofMillis(900));
            assertThat(latecomer.awaitClose().code()).isEqualTo(CloseCode.CLOSE_CODE_STREAM_ENDED.getNumber());
        }
    }

    /** The next Status code, skipping nothing; null when the next message is not a Status. */
    private static StatusCode status(WsClient client) {
        Envelope e = client.next().envelope();
        return e.hasStatus() ? e.getStatus().getCode() : null;
    }
}
