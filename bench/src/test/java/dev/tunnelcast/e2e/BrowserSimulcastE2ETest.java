package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunnelcast.bench.latency.ChromiumPlayer;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.TrackKind;
import dev.tunnelcast.server.Relay;
import dev.tunnelcast.server.archive.ArchiveConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The browser publisher with {@code layers=640x360@700k,320x180@200k} in real headless Chromium
 * (its fake camera plays a 640x360 test pattern) to a real relay over a real socket: the video
 * track is announced as two layers, each at its size, every packet says its layer, the layers'
 * keyframes have the same pts (the first one and those the relay asks for when a player joins),
 * a {@code ?quality=180p} player gets only the small layer and a default one the top layer, and
 * the recorder keeps the top layer. No timed assertions: generous deadlines only.
 */
@Timeout(value = 180)
class BrowserSimulcastE2ETest {

    private static final Path WEB_PLAYER = Path.of("..", "web-player").toAbsolutePath().normalize();
    private static final Path ARTIFACTS = Path.of("target", "e2e").toAbsolutePath();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String STREAM = "browser-sim";

    @Test
    void aBrowserPublishesTwoLayersWithAlignedKeyframesEachPlayerGetsItsOwnAndTheTopOneIsRecorded() throws Exception {
        Files.createDirectories(ARTIFACTS);
        Path work = Files.createTempDirectory(ARTIFACTS, "browser-simulcast-");
        Path video = work.resolve("camera.y4m");
        Path audio = work.resolve("microphone.wav");
        BrowserPublisherE2ETest.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-t", "2", "-pix_fmt", "yuv420p",
                video.toString());
        BrowserPublisherE2ETest.ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2", "-ac", "1",
                "-c:a", "pcm_s16le", audio.toString());
        RelayRecorder recorder = new RelayRecorder();
        // No GOP kept: each joining player makes the relay ask for a keyframe, which must come on both layers at once.
        try (Relay relay = Relay.start(AgentFixtures.relay().gopCacheBytes(1_000)
                .archive(ArchiveConfig.defaults(work.resolve("archive"))).build());
             ChromiumPlayer publisher = ChromiumPlayer.launchWithFakeMedia(WEB_PLAYER, ARTIFACTS.resolve("chromium-simulcast.log"),
                     video, audio)) {
            relay.addObserver(recorder);
            publisher.open("http://127.0.0.1:" + relay.port()
                    + "/?layers=640x360@700k,320x180@200k&keyframe-interval=60000#/publish/" + STREAM);
            publisher.click(".tc-start");
            JsonNode live = publisher.waitUntil("(() => { const s = window.tunnelcast.stats;"
                    + " return s && s.state === 'live' && s.videoPacketsSent >= 60 && s; })()", DEADLINE);
            assertThat(live.path("videoLayers").findValuesAsText("height")).containsExactly("360", "180");
            assertThat(live.path("videoBitrateBps").asInt()).as("the layers' sum").isEqualTo(900_000);
            assertThat(publisher.text("[data-stat=\"Layers\"]")).contains("360p 0.70 Mbit/s").contains("180p 0.20 Mbit/s");

            // Each layer's config goes out when its encoder first outputs: in any order (the small layer is often first).
            List<TrackConfig> configs = recorder.snapshot().stream().map(RelayRecorder.Event::config)
                    .filter(c -> c != null && c.getKind() == TrackKind.TRACK_KIND_VIDEO)
                    .sorted(Comparator.comparingInt(TrackConfig::getLayer)).toList();
            assertThat(configs).extracting(TrackConfig::getLayer).containsExactly(0, 1);
            assertThat(configs).allMatch(c -> c.getLayerCount() == 2 && c.getTrackId() == 1 && c.getCodec().startsWith("avc1."));
            assertThat(configs).extracting(TrackConfig::getWidth).containsExactly(640, 320);
            assertThat(configs).extracting(TrackConfig::getHeight).containsExactly(360, 180);
            assertThat(configs).extracting(TrackConfig::getBitrate).containsExactly(700_000, 200_000);

            // One after the other: the relay asks for a keyframe at most every 500 ms per stream.
            try (TestSubscriber low = TestSubscriber.connect(URI.create("ws://127.0.0.1:" + relay.port() + "/ws/play/" + STREAM
                    + "?quality=180p"))) {
                SimulcastE2ETest.checkPlayer(low, 1, 180);
            }
            try (TestSubscriber top = TestSubscriber.connect(URI.create("ws://127.0.0.1:" + relay.port() + "/ws/play/" + STREAM))) {
                SimulcastE2ETest.checkPlayer(top, 0, 360);
            }
            publisher.screenshot(ARTIFACTS.resolve("publisher-simulcast.png"));
            publisher.click(".tc-start"); // Stop: EndOfStream after what is queued
            JsonNode stopped = publisher.waitUntil("(() => { const s = window.tunnelcast.stats;"
                    + " return s.state === 'stopped' && s; })()", DEADLINE);
            System.out.printf("browser simulcast: %s%n", stopped);
            assertThat(stopped.path("keyframeRequests").asInt()).as("the joining players' requests").isGreaterThanOrEqualTo(1);

            // The recorder keeps the top layer only: every one of its frames, at its size.
            JsonNode segment = SimulcastE2ETest.awaitClosedSegment(relay, STREAM);
            Path file = work.resolve("archive").resolve(STREAM).resolve(segment.path("id").asText() + ".mp4");
            assertThat(FFprobe.probe(file, "v:0", "stream=width,height")).isEqualTo("640,360");
            long recorded = Long.parseLong(FFprobe.probe(file, "v:0", "stream=nb_read_frames", "-count_frames"));
            assertThat(recorded).as("frames recorded vs top-layer packets sent").isEqualTo(SimulcastE2ETest.layer(recorder, 0).size());
        }

        List<Long> topKeyframes = SimulcastE2ETest.keyframePts(recorder, 0);
        assertThat(topKeyframes).as("the first keyframe and at least one requested").hasSizeGreaterThanOrEqualTo(2);
        assertThat(SimulcastE2ETest.keyframePts(recorder, 1)).as("keyframes aligned on both layers").isEqualTo(topKeyframes);
        // One sequence counter for the track, and every frame encoded on both layers, top first: a layer's packet
        // t follows its packet t - 2. On a busy machine the send queue may drop video even on loopback, and then
        // each layer resumes at a keyframe: every packet that is not one has its layer's predecessor, so each
        // layer decodes throughout.
        List<MediaPacket> packets = recorder.packets(1);
        for (int i = 1; i < packets.size(); i++) {
            assertThat(packets.get(i).getSequence()).isGreaterThan(packets.get(i - 1).getSequence());
        }
        Set<String> received = packets.stream().map(p -> p.getLayer() + "/" + p.getSequence()).collect(Collectors.toSet());
        for (int layer = 0; layer < 2; layer++) {
            List<MediaPacket> own = SimulcastE2ETest.layer(recorder, layer);
            assertThat(own.get(0).getKeyframe()).as("layer %d starts at a keyframe", layer).isTrue();
            for (MediaPacket p : own) {
                if (!p.getKeyframe()) {
                    assertThat(received).as("layer %d: the packet before %d", layer, p.getSequence())
                            .contains(layer + "/" + (p.getSequence() - 2));
                }
            }
        }
        System.out.printf("browser simulcast: layer packets %d + %d; keyframes at %s%n", SimulcastE2ETest.layer(recorder, 0).size(),
                SimulcastE2ETest.layer(recorder, 1).size(), topKeyframes);
    }
}
