package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunnelcast.bench.latency.ChromiumPlayer;
import dev.tunnelcast.bench.impair.ImpairmentProxy;
import dev.tunnelcast.bench.impair.LinkProfile;
import dev.tunnelcast.bench.latency.LiveStack;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.server.Relay;
import dev.tunnelcast.server.auth.Action;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The browser publisher (web-player/src/publish/, page {@code #/publish/{stream}}) in real
 * headless Chromium, its camera and microphone Chromium's fake devices playing files this
 * test makes with FFmpeg (a 640x360 test pattern, a 440 Hz tone), publishing to a real relay
 * on loopback that records: a second Chromium plays the stream with the existing player
 * (frames advance, audio decodes and plays), the relay lists its tracks like an agent's, and
 * after Stop the recorded segment holds both tracks and every video frame the publisher sent
 * (ffprobe). VP8 (the encoder's fallback) plays too, through WebCodecs, and so does a
 * publication captured without MediaStreamTrackProcessor (frames copied by the page). Through
 * a 1 Mbit/s uplink (ImpairmentProxy) audio goes on, video is dropped to keyframes and the
 * encoder's bitrate comes down below the cap. A KeyframeRequest from the relay brings a
 * keyframe long before the keyframe interval would; a shared (fake) screen is published too. No timed assertions:
 * generous deadlines only, for a busy 2-core machine.
 */
@Timeout(value = 240)
class BrowserPublisherE2ETest {

    private static final Path WEB_PLAYER = Path.of("..", "web-player").toAbsolutePath().normalize();
    private static final Path ARTIFACTS = Path.of("target", "e2e").toAbsolutePath();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path work;
    private static LiveStack stack;
    private static ChromiumPlayer publisherBrowser;
    private static ChromiumPlayer playerBrowser;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(ARTIFACTS);
        work = Files.createTempDirectory(ARTIFACTS, "browser-publisher-");
        Path video = work.resolve("camera.y4m");
        Path audio = work.resolve("microphone.wav");
        ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-t", "2", "-pix_fmt", "yuv420p", video.toString());
        ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2", "-ac", "1", "-c:a", "pcm_s16le",
                audio.toString());
        stack = LiveStack.start(new LiveStack.Options(640, 360, 30, 1_000_000, Duration.ofSeconds(3)), work.resolve("archive"));
        publisherBrowser = ChromiumPlayer.launchWithFakeMedia(WEB_PLAYER, ARTIFACTS.resolve("chromium-publisher.log"), video, audio);
        playerBrowser = ChromiumPlayer.launch(WEB_PLAYER, ARTIFACTS.resolve("chromium-publisher-player.log"));
    }

    @AfterAll
    static void stop() {
        if (publisherBrowser != null) {
            publisherBrowser.close();
        }
        if (playerBrowser != null) {
            playerBrowser.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aBrowserPublishesH264AndOpusThatPlaysAndIsRecorded() throws Exception {
        String stream = "browser";
        JsonNode live = publish(stream, "");
        assertThat(live.path("videoCodec").asText()).as("H.264 where the browser can encode it").startsWith("avc1.42");
        assertThat(live.path("videoEncoder").asText()).contains("640x360");
        assertThat(live.path("offMainThread").asBoolean()).as("frames read in the worker").isTrue();
        assertThat(live.path("audioCodec").asText()).isEqualTo("opus");
        assertThat(live.path("dtx").asBoolean()).isTrue();

        // The relay sees an ordinary publication.
        JsonNode tracks = get("/api/streams/" + stream, stream).path("tracks");
        assertThat(tracks).hasSize(2);
        assertThat(tracks.get(0).path("codec").asText()).isEqualTo(live.path("videoCodec").asText());
        assertThat(tracks.get(0).path("width").asInt()).isEqualTo(640);
        assertThat(tracks.get(1).path("codec").asText()).isEqualTo("opus");
        assertThat(tracks.get(1).path("sampleRate").asInt()).isEqualTo(48_000);

        JsonNode played = play(stream, "");
        assertThat(played.path("videoCodec").asText()).isEqualTo(live.path("videoCodec").asText());
        publisherBrowser.screenshot(ARTIFACTS.resolve("publisher.png"));
        playerBrowser.screenshot(ARTIFACTS.resolve("publisher-played.png"));
        assertThat(publisherBrowser.text("[data-stat=\"Video encoder\"]")).contains("H.264");

        JsonNode stopped = stopPublishing();
        assertThat(stopped.path("connections").asInt()).as("one connection throughout").isEqualTo(1);
        long videoSent = stopped.path("videoPacketsSent").asLong();
        long audioSent = stopped.path("audioPacketsSent").asLong();
        JsonNode segment = awaitClosedSegment(stream);
        Path file = work.resolve("archive").resolve(stream).resolve(segment.path("id").asText() + ".mp4");
        assertThat(FFprobe.probe(file, "v:0", "stream=codec_name")).isEqualTo("h264");
        assertThat(FFprobe.probe(file, "a:0", "stream=codec_name")).isEqualTo("opus");
        long videoFrames = Long.parseLong(FFprobe.probe(file, "v:0", "stream=nb_read_frames", "-count_frames"));
        long audioPackets = Long.parseLong(FFprobe.probe(file, "a:0", "stream=nb_read_packets", "-count_packets"));
        System.out.printf("browser publisher: sent %d video and %d audio packets;"
                + " the segment decodes %d frames and holds %d audio packets%n",
                videoSent, audioSent, videoFrames, audioPackets);
        // The first video packet sent is a keyframe, so the segment starts with it: every frame sent is recorded.
        assertThat(videoFrames).as("video frames recorded vs sent").isEqualTo(videoSent);
        assertThat(segment.path("videoFrames").asLong()).isEqualTo(videoSent);
        // Audio from before the first keyframe is not recorded (docs/recording.md): at most a second of it.
        assertThat(audioPackets).as("audio packets recorded vs sent").isBetween(audioSent - 50, audioSent);
    }

    @Test
    void vp8IsTheFallbackAndPlaysThroughWebCodecs() throws Exception {
        String stream = "browser-vp8";
        JsonNode live = publish(stream, "video-codec=vp8");
        assertThat(live.path("videoCodec").asText()).isEqualTo("vp8");
        play(stream, "video=webcodecs");
        stopPublishing();
    }

    @Test
    void withoutMediaStreamTrackProcessorThePageCopiesTheFramesToTheWorker() throws Exception {
        String stream = "browser-fallback";
        JsonNode live = publish(stream, "", List.of("MediaStreamTrackProcessor"));
        assertThat(live.path("offMainThread").asBoolean()).as("frames read in the worker").isFalse();
        assertThat(publisherBrowser.text("[data-stat=\"Capture\"]")).contains("fallback");
        play(stream, "");
        stopPublishing();
    }

    @Test
    void throughA1MbitUplinkAudioGoesOnVideoDropsToKeyframesAndTheBitrateSettlesBelowTheCap() throws Exception {
        String stream = "browser-capped";
        long capBps = 1_000_000;
        RelayRecorder recorder = new RelayRecorder();
        stack.relay().addObserver(recorder);
        try (ImpairmentProxy link = ImpairmentProxy.start(stack.port(), LinkProfile.clean().withCap(capBps), LinkProfile.clean())) {
            // The page and its WebSocket come through the capped link; the encoder is asked for 2.5 Mbit/s.
            String url = stack.publishUrl(stream, stack.token(Action.PUBLISH, stream), "size=640x360&video-bitrate=2500000")
                    .toString().replace(":" + stack.port() + "/", ":" + link.port() + "/");
            publisherBrowser.open(url);
            publisherBrowser.click(".tc-start");
            publisherBrowser.waitUntil("(() => { const s = window.tunnelcast.stats; return s && s.state === 'live'"
                    + " && s.congestions >= 1 && s.bitrateDecreases >= 1 && s.videoPacketsSent >= 150; })()", Duration.ofSeconds(90));
            // Settled: below the cap, the backlog beyond the socket drained, and video still flowing.
            JsonNode settled = publisherBrowser.waitUntil("(() => { const s = window.tunnelcast.stats;"
                    + " return s.videoBitrateBps + s.audioBitrateBps < " + capBps + " && s.networkDelayMs < 500"
                    + " && s.audioPacketsSent >= 500 && s; })()", Duration.ofSeconds(90));
            publisherBrowser.waitUntil("window.tunnelcast.stats.videoPacketsSent >= "
                    + (settled.path("videoPacketsSent").asLong() + 60), Duration.ofSeconds(90));
            publisherBrowser.screenshot(ARTIFACTS.resolve("publisher-capped.png"));
            System.out.printf("browser publisher through a %d bit/s uplink: %s%n", capBps, settled);
            assertThat(settled.path("audioDropped").asLong()).as("audio dropped by the send queue").isZero();
            assertThat(settled.path("videoDropped").asLong()).as("video dropped by the send queue").isPositive();
            assertThat(publisherBrowser.text("[data-stat=\"Drops\"]")).contains("congestions");
            stopPublishing();
        }

        // What the relay got: video resumes at a keyframe after every gap; audio has no gap.
        List<MediaPacket> video = recorder.packets(1);
        assertThat(video.get(0).getKeyframe()).isTrue();
        int videoGaps = 0;
        for (int i = 1; i < video.size(); i++) {
            if (video.get(i).getSequence() != video.get(i - 1).getSequence() + 1) {
                videoGaps++;
                assertThat(video.get(i).getKeyframe()).as("video after a gap (sequence %d) starts at a keyframe",
                        video.get(i).getSequence()).isTrue();
            }
        }
        assertThat(videoGaps).as("gaps in the video the relay got").isPositive();
        List<MediaPacket> audio = recorder.packets(2);
        for (int i = 1; i < audio.size(); i++) {
            assertThat(audio.get(i).getSequence()).as("audio sequence").isEqualTo(audio.get(i - 1).getSequence() + 1);
        }
    }

    @Test
    void aKeyframeRequestFromTheRelayGetsAKeyframeAtOnce() throws Exception {
        // A GOP cache too small to keep a GOP: a new player makes the relay ask the publisher for a keyframe.
        try (Relay relay = Relay.start(AgentFixtures.relay().gopCacheBytes(1_000).build())) {
            publisherBrowser.open("http://127.0.0.1:" + relay.port() + "/?size=640x360&keyframe-interval=60000#/publish/kf");
            publisherBrowser.click(".tc-start");
            JsonNode before = publisherBrowser.waitUntil("(() => { const s = window.tunnelcast.stats;"
                    + " return s && s.state === 'live' && s.videoPacketsSent >= 45 && s; })()", DEADLINE);
            assertThat(before.path("keyframeRequests").asInt()).isZero();
            try (TestSubscriber player = TestSubscriber.connect(URI.create("ws://127.0.0.1:" + relay.port() + "/ws/play/kf"))) {
                publisherBrowser.waitUntil("(() => { const s = window.tunnelcast.stats; return s.keyframeRequests >= 1 && s.keyframes > "
                        + before.path("keyframes").asInt() + "; })()", DEADLINE);
            }
            stopPublishing();
        }
    }

    @Test
    void aSharedScreenIsPublished() throws Exception {
        String stream = "browser-screen";
        JsonNode live = publish(stream, "", List.of(), "screen");
        assertThat(live.path("source").asText()).isEqualTo("screen");
        assertThat(live.path("videoCodec").asText()).startsWith("avc1.");
        play(stream, "");
        stopPublishing();
    }

    @Test
    void aPublicationWithoutAValidTokenIsRefusedWithTheReason() {
        publisherBrowser.open(stack.publishUrl("browser-refused", stack.token(Action.PLAY, "browser-refused"), "size=640x360").toString());
        publisherBrowser.click(".tc-start");
        JsonNode refused = publisherBrowser.waitUntil("(() => { const s = window.tunnelcast.stats;"
                + " return s && s.state === 'unauthorized' && s; })()", DEADLINE);
        assertThat(refused.path("message").asText()).as("a play token does not publish").contains("Not authorized").contains("4403");
        // The page shows it (its view refreshes every 250 ms).
        publisherBrowser.waitUntil("document.querySelector('.tc-message-text').textContent.includes('Not authorized')", DEADLINE);
        publisherBrowser.click(".tc-start"); // Stop: the camera is released
        publisherBrowser.waitUntil("window.tunnelcast.stats.state === 'stopped'", DEADLINE);
    }

    private static JsonNode publish(String stream, String extraQuery) {
        return publish(stream, extraQuery, List.of());
    }

    private static JsonNode publish(String stream, String extraQuery, List<String> removed) {
        return publish(stream, extraQuery, removed, "camera");
    }

    /**
     * Opens the publish page (without the page globals {@code removed}), picks the source
     * ({@code camera} or {@code screen}: Chromium's fake one), starts, and waits until media
     * flows; returns the publisher's stats.
     */
    private static JsonNode publish(String stream, String extraQuery, List<String> removed, String source) {
        String query = "size=640x360" + (extraQuery.isEmpty() ? "" : "&" + extraQuery);
        publisherBrowser.openWithout(stack.publishUrl(stream, stack.token(Action.PUBLISH, stream), query).toString(), removed);
        publisherBrowser.click("[data-source=\"" + source + "\"]");
        publisherBrowser.click(".tc-start");
        publisherBrowser.waitUntil("(() => { const s = window.tunnelcast.stats;"
                + " return s && s.state === 'live' && s.videoPacketsSent >= 30 && s.audioPacketsSent >= 50; })()", DEADLINE);
        return publisherBrowser.stats();
    }

    /** The player: state playing, then frames shown and audio decoded and played keep advancing; returns its last stats. */
    private static JsonNode play(String stream, String extraQuery) {
        playerBrowser.open(stack.playerUrl(stream, stack.token(Action.PLAY, stream), extraQuery).toString());
        JsonNode first = playerBrowser.waitFor(List.of("playing"), 15, DEADLINE);
        String advanced = String.format("(() => { const s = window.tunnelcast.stats; return s.framesShown >= %d"
                + " && s.audioPacketsDecoded >= %d && s.audioPlayedMs >= %f; })()",
                first.path("framesShown").asInt() + 30, first.path("audioPacketsDecoded").asInt() + 50,
                first.path("audioPlayedMs").asDouble() + 1000);
        playerBrowser.waitUntil(advanced, DEADLINE);
        JsonNode last = playerBrowser.stats();
        System.out.printf("player of %s: %s%n", stream, last);
        assertThat(last.path("state").asText()).isEqualTo("playing");
        assertThat(last.path("videoDecodeErrors").asInt()).as("video decode errors").isZero();
        assertThat(last.path("audioDecodeErrors").asInt()).as("audio decode errors").isZero();
        assertThat(last.path("audioRunning").asBoolean()).isTrue();
        return last;
    }

    /** Stop: EndOfStream after what is queued; returns the publisher's final stats. */
    private static JsonNode stopPublishing() {
        publisherBrowser.click(".tc-start");
        publisherBrowser.waitUntil("window.tunnelcast.stats.state === 'stopped'", DEADLINE);
        return publisherBrowser.stats();
    }

    /** GET on the relay's API with a play token for {@code stream} (the relay has a token secret). */
    private static JsonNode get(String path, String stream) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.port() + path))
                .header("Authorization", "Bearer " + stack.token(Action.PLAY, stream))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Polls the recordings API until the stream has one segment and it is closed. */
    private static JsonNode awaitClosedSegment(String stream) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        JsonNode list = null;
        while (System.nanoTime() < deadline) {
            list = get("/api/streams/" + stream + "/recordings", stream);
            if (list.size() == 1 && !list.get(0).path("state").asText().equals("RECORDING")) {
                return list.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no closed segment within " + DEADLINE + ": " + list);
    }

    static void ffmpeg(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("ffmpeg: %s", out).isZero();
    }
}
