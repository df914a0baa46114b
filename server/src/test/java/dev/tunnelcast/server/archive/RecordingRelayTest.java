package dev.tunnelcast.server.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunnelcast.proto.v1.EndOfStream;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.server.Relay;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder inside a real relay: a publisher sends real H.264 + Opus over a real
 * WebSocket, a player watches live, and the recording is listed, downloaded and probed
 * over the relay's own HTTP port.
 */
class RecordingRelayTest {

    @TempDir
    Path dir;

    @Test
    void aPublishedStreamIsRecordedAndServedByTheRelay() throws Exception {
        MediaFixture media = MediaFixture.generate(10, 60);
        try (Relay relay = Relay.start(TestRelays.config().archive(ArchiveConfig.defaults(dir)).build())) {
            WsClient player = TestRelays.player(relay, "cam1");
            try (WsClient publisher = TestRelays.publisher(relay, "cam1")) {
                media.tracks().forEach(t -> publisher.send(Envelope.newBuilder().setTrackConfig(t).build()));
                for (MediaPacket p : media.packets()) {
                    publisher.send(Envelope.newBuilder().setMediaPacket(p).build());
                }
                publisher.send(Envelope.newBuilder().setEndOfStream(EndOfStream.newBuilder().setReason("done")).build());
                // the live path is unaffected: the player gets every video packet
                for (int i = 0; i < 300; i++) {
                    player.nextMatching(e -> e.hasMediaPacket() && e.getMediaPacket().getTrackId() == 1);
                }
            }
            JsonNode list = TestRelays.awaitOneClosedRecording(relay, "cam1", Duration.ofSeconds(30));
            String url = list.get(0).path("url").asText();
            assertThat(list.get(0).path("videoFrames").asLong()).isEqualTo(300);

            Tools.ProbeStream video = Tools.ffprobe(relay.baseUri() + url).stream("video");
            assertThat(video.ptsSeconds()).hasSize(300);
            Tools.Probe hls = Tools.ffprobe(relay.baseUri() + "/api/streams/cam1/archive.m3u8");
            assertThat(hls.stream("video").ptsSeconds()).hasSize(300);
            assertThat(hls.stream("audio").ptsSeconds()).hasSizeGreaterThan(490);

            String metrics = TestRelays.get(relay, "/metrics").body();
            assertThat(metrics).contains("tunnelcast_archive_segments_closed_total 1.0")
                    .contains("tunnelcast_archive_queue_dropped_total 0.0");
            player.close();
        }
    }
}
