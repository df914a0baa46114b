package dev.tunnelcast.server.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunnelcast.proto.v1.EndOfStream;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.TrackKind;
import dev.tunnelcast.server.Relay;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.WsClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulcast stream in a real relay with the recorder on: the publisher sends real H.264 as
 * the top layer (track 1) and as a lower layer (track 3, announced as rank 1), with Opus; the
 * recording holds one video track with the top layer's 300 frames, and the audio, as ffprobe
 * reads it over the relay's HTTP port.
 */
class SimulcastRecordingTest {

    private static final int LOWER = 3;

    @TempDir
    Path dir;

    @Test
    void theRecorderRecordsTheTopLayerOnly() throws Exception {
        MediaFixture media = MediaFixture.generate(10, 60);
        try (Relay relay = Relay.start(TestRelays.config().archive(ArchiveConfig.defaults(dir)).build())) {
            try (WsClient publisher = TestRelays.publisher(relay, "cam1")) {
                for (TrackConfig t : media.tracks()) {
                    if (t.getKind() == TrackKind.TRACK_KIND_VIDEO) {
                        publisher.send(config(t.toBuilder().setLayerGroup(t.getTrackId()).setLayerRank(0).build()));
                        publisher.send(config(t.toBuilder().setTrackId(LOWER).setLayerGroup(t.getTrackId()).setLayerRank(1)
                                .setHeight(t.getHeight() / 2).setWidth(t.getWidth() / 2).build()));
                    } else {
                        publisher.send(config(t));
                    }
                }
                int videoTrack = media.tracks().stream().filter(t -> t.getKind() == TrackKind.TRACK_KIND_VIDEO)
                        .findFirst().orElseThrow().getTrackId();
                for (MediaPacket p : media.packets()) {
                    publisher.send(Envelope.newBuilder().setMediaPacket(p).build());
                    if (p.getTrackId() == videoTrack) {
                        // the same frame as the lower layer: a recorder that took it would hold 600 frames or 2 tracks
                        publisher.send(Envelope.newBuilder().setMediaPacket(p.toBuilder().setTrackId(LOWER)).build());
                    }
                }
                publisher.send(Envelope.newBuilder().setEndOfStream(EndOfStream.newBuilder().setReason("done")).build());
            }
            JsonNode list = awaitClosedRecording(relay);
            assertThat(list.get(0).path("videoFrames").asLong()).isEqualTo(300);
            Tools.Probe probe = Tools.ffprobe(relay.baseUri() + list.get(0).path("url").asText());
            assertThat(probe.streams().stream().filter(s -> s.type().equals("video")).count()).as("one video track").isEqualTo(1);
            assertThat(probe.stream("video").ptsSeconds()).hasSize(300);
            assertThat(probe.stream("audio").ptsSeconds()).hasSizeGreaterThan(490);
        }
    }

    private static Envelope config(TrackConfig t) {
        return Envelope.newBuilder().setTrackConfig(t).build();
    }

    private static JsonNode awaitClosedRecording(Relay relay) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            HttpResponse<String> response = TestRelays.get(relay, "/api/streams/cam1/recordings");
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode list = new ObjectMapper().readTree(response.body());
            if (list.size() == 1 && list.get(0).path("state").asText().equals("CLOSED")) {
                return list;
            }
            assertThat(System.nanoTime()).as("a closed recording is listed").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
