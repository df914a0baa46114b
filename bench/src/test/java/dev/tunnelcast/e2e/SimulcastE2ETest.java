package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunnelcast.agent.Agent;
import dev.tunnelcast.agent.AgentConfig;
import dev.tunnelcast.agent.encode.LayerSpec;
import dev.tunnelcast.agent.encode.VideoEncoderSettings;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.TrackKind;
import dev.tunnelcast.server.Relay;
import dev.tunnelcast.server.archive.ArchiveConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent with {@code --layers 1280x720@2500k,640x360@700k,320x180@200k} (real x264 encodes,
 * a real relay over a real socket): one track announced as three layers, keyframes aligned on
 * every layer (the first one, and one the relay asks for), each player gets the layer it asked
 * for, and the recorder keeps the top layer.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // native calls ignore interrupts
class SimulcastE2ETest {

    private static final List<LayerSpec> LAYERS = LayerSpec.parseList("1280x720@2500k,640x360@700k,320x180@200k");
    private static final String STREAM = "sim";

    @TempDir
    Path archive;

    @Test
    void threeLayersWithAlignedKeyframesEachPlayerItsOwnAndTheTopOneRecorded() throws Exception {
        RelayRecorder recorder = new RelayRecorder();
        // No GOP kept: a joining player makes the relay ask for a keyframe, which must come on every layer at once.
        try (Relay relay = Relay.start(AgentFixtures.relay().gopCacheBytes(1_000)
                .archive(ArchiveConfig.defaults(archive)).build())) {
            relay.addObserver(recorder);
            URI base = URI.create("ws://127.0.0.1:" + relay.port());
            AgentConfig b = AgentFixtures.agent(base, STREAM, null, null);
            AgentConfig config = new AgentConfig(b.video(), b.audio(), b.input(),
                    new VideoEncoderSettings("libx264", 1280, 720, 30, 2_500_000, 0, "ultrafast", "high", "", 600, 1),
                    LAYERS, b.opus(), true, false, b.publisher());
            try (Agent agent = new Agent(config).start()) {
                ReconnectE2ETest.await(() -> layer(recorder, 2).size() >= 45, 30_000); // 1.5 s in: past the first IDR

                List<TrackConfig> configs = recorder.snapshot().stream().map(RelayRecorder.Event::config)
                        .filter(c -> c != null && c.getKind() == TrackKind.TRACK_KIND_VIDEO).toList();
                assertThat(configs).extracting(TrackConfig::getLayer).containsExactly(0, 1, 2);
                assertThat(configs).allMatch(c -> c.getLayerCount() == 3 && c.getTrackId() == 1 && c.getCodec().startsWith("avc1."));
                for (int layer = 0; layer < 3; layer++) {
                    assertThat(configs.get(layer).getWidth()).isEqualTo(LAYERS.get(layer).width());
                    assertThat(configs.get(layer).getHeight()).isEqualTo(LAYERS.get(layer).height());
                    assertThat(configs.get(layer).getBitrate()).isEqualTo(LAYERS.get(layer).bitrateBps());
                }
                assertThat(keyframePts(recorder, 0)).as("one GOP of 20 s so far").hasSize(1);

                // Two joiners at once: the relay asks for a keyframe at most every 500 ms, and the second
                // one's request, if the first one's keyframe went by before it joined, is sent when they end.
                try (TestSubscriber low = TestSubscriber.connect(URI.create(base + "/ws/play/" + STREAM + "?quality=180p"));
                     TestSubscriber top = TestSubscriber.connect(URI.create(base + "/ws/play/" + STREAM))) {
                    checkPlayer(low, 2, 180);
                    checkPlayer(top, 0, 720);
                }
                assertThat(keyframePts(recorder, 2)).as("the first keyframe and the requested ones").hasSizeGreaterThanOrEqualTo(2);
                List<Long> keyframes = keyframePts(recorder, 2);
                assertThat(keyframePts(recorder, 1)).startsWith(keyframes.toArray(Long[]::new));
                assertThat(keyframePts(recorder, 0)).as("keyframes aligned on every layer, the requested one too")
                        .startsWith(keyframes.toArray(Long[]::new));
                for (int layer = 0; layer < 3; layer++) {
                    List<MediaPacket> packets = layer(recorder, layer);
                    for (int i = 1; i < packets.size(); i++) {
                        assertThat(packets.get(i).getSequence()).isGreaterThan(packets.get(i - 1).getSequence());
                    }
                }
            }
            JsonNode segment = awaitClosedSegment(relay, STREAM);
            Path file = archive.resolve(STREAM).resolve(segment.path("id").asText() + ".mp4");
            assertThat(FFprobe.probe(file, "v:0", "stream=width,height")).isEqualTo("1280,720");
            long recorded = Long.parseLong(FFprobe.probe(file, "v:0", "stream=nb_read_frames", "-count_frames"));
            long topPackets = layer(recorder, 0).size(); // the agent has stopped: every packet it sent
            System.out.printf("simulcast: %d top-layer packets sent, %d frames recorded%n", topPackets, recorded);
            assertThat(recorded).as("the recording has the top layer's frames, and only those").isEqualTo(topPackets);
        }
    }

    /** The player's video config is {@code height} high, its first video packet a keyframe, all of {@code layer}. */
    static void checkPlayer(TestSubscriber player, int layer, int height) throws InterruptedException {
        List<Integer> heights = new ArrayList<>();
        List<MediaPacket> video = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (video.size() < 30) {
            TestSubscriber.Received r = player.received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(r).as("30 video packets for the %dp player", height).isNotNull();
            Envelope e = r.envelope();
            if (e.hasTrackConfig() && e.getTrackConfig().getKind() == TrackKind.TRACK_KIND_VIDEO) {
                heights.add(e.getTrackConfig().getHeight());
            } else if (e.hasMediaPacket() && e.getMediaPacket().getTrackId() == 1) {
                video.add(e.getMediaPacket());
            }
        }
        assertThat(heights).containsOnly(height);
        assertThat(video.get(0).getKeyframe()).as("the first video packet is a keyframe").isTrue();
        assertThat(video).allMatch(p -> p.getLayer() == layer);
    }

    static List<MediaPacket> layer(RelayRecorder recorder, int layer) {
        return recorder.packets(1).stream().filter(p -> p.getLayer() == layer).toList();
    }

    static List<Long> keyframePts(RelayRecorder recorder, int layer) {
        return layer(recorder, layer).stream().filter(MediaPacket::getKeyframe).map(MediaPacket::getPtsMicros).toList();
    }

    /** The stream's one recorded segment once it is closed. */
    static JsonNode awaitClosedSegment(Relay relay, String stream) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        JsonNode list = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + relay.port() + "/api/streams/" + stream + "/recordings")).build(),
                    HttpResponse.BodyHandlers.ofString());
            list = new ObjectMapper().readTree(response.body());
            if (response.statusCode() == 200 && list.size() == 1 && !list.get(0).path("state").asText().equals("RECORDING")) {
                return list.get(0);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no closed segment within 30 s: " + list);
    }
}
