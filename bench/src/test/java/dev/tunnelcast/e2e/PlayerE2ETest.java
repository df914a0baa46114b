package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunnelcast.bench.latency.ChromiumPlayer;
import dev.tunnelcast.bench.latency.ForeignCpu;
import dev.tunnelcast.bench.latency.LiveStack;
import dev.tunnelcast.server.auth.Action;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The web player in real headless Chromium against a real relay and a real capture agent on
 * the synthetic source (frame stamp on), all on loopback: video frames decode and advance,
 * audio plays through the worklet, the player stays live and video follows the audio clock on
 * both video paths and with the WASM Opus decoder (no WebCodecs audio), the overlay is live,
 * a relay restart is survived,
 * and offline / waiting / unauthorized streams say so. A join starts at the live edge (a second after the first frame, not
 * after a catch-up through the GOP backlog), and a corrupt video packet is recovered at the next keyframe in the same page
 * on both paths. Every bound holds on a loaded 2-core machine, with no skip and no rerun: the latency, concealment and
 * dropped-frame goals are judged by {@code bench/run latency --check}. Audio "played" is judged against the
 * AudioContext's own clock. Screenshots go to target/e2e/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120)
class PlayerE2ETest {

    private static final Path WEB_PLAYER = Path.of("..", "web-player").toAbsolutePath().normalize();
    private static final Path ARTIFACTS = Path.of("target", "e2e").toAbsolutePath();
    private static final String STREAM = "cam";
    private static final Duration MEASURE = Duration.ofSeconds(8);
    /**
     * From the first frame shown to the measurement. A join brings the relay's current GOP
     * (up to 3 s here) at once; the player decodes it without showing it and starts at the
     * live edge, so a second is enough (catching up at 1.5x had needed 6 s).
     */
    private static final Duration SETTLE = Duration.ofSeconds(1);
    /** Right after the settle, latency above this means the join did not start at the live edge. */
    private static final double JOINED_LIVE_EDGE_MAX_MS = 1000;

    /** The overlay's values that do not fit their cell, or reach past the overlay's or the stage's right edge. */
    private static final String CLIPPED_STATS = """
            (() => {
              const right = (selector) => document.querySelector(selector).getBoundingClientRect().right;
              const edge = Math.min(right('.tc-stats'), right('.tc-stage'));
              return [...document.querySelectorAll('.tc-stats [data-stat]')]
                .filter((dd) => dd.scrollWidth > dd.clientWidth || dd.getBoundingClientRect().right > edge)
                .map((dd) => `${dd.dataset.stat}: ${dd.textContent}`);
            })()""";

    private static LiveStack stack;
    private static ChromiumPlayer browser;

    @BeforeAll
    static void startPipeline() throws Exception {
        Files.createDirectories(ARTIFACTS);
        stack = LiveStack.start(new LiveStack.Options(640, 360, 30, 1_000_000, Duration.ofSeconds(3)));
        stack.publish(STREAM);
        browser = ChromiumPlayer.launch(WEB_PLAYER, ARTIFACTS.resolve("chromium.log"));
        // Warm-up, not measured: the relay and agent share this JVM and start cold (JIT),
        // and so does Chromium's media pipeline; the first test must not measure that.
        browser.open(playUrl(STREAM, ""));
        browser.waitFor(List.of("playing"), 30, Duration.ofSeconds(30));
        browser.collect(Duration.ofSeconds(5));
    }

    @AfterAll
    static void stopPipeline() {
        if (browser != null) {
            browser.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private static String playUrl(String stream, String extraQuery) {
        return stack.playerUrl(stream, stack.token(Action.PLAY, stream), extraQuery).toString();
    }

    /** Cores that other processes took during the last measurement (printed: it explains slow figures). */
    private static double foreignCores;
    /** Pixel latency when the measurement started, SETTLE after the first frame. */
    private static double latencyAfterJoinMs;

    /** Plays, then measures over MEASURE with fresh windows; returns {first, last}. */
    private static JsonNode playAndMeasure(String extraQuery) {
        browser.open(playUrl(STREAM, extraQuery));
        return measure();
    }

    private static JsonNode measure() {
        browser.waitFor(List.of("playing"), 30, Duration.ofSeconds(30));
        latencyAfterJoinMs = browser.collect(SETTLE).path("last").path("latencyPixelMs").path("last").asDouble(Double.NaN);
        browser.resetMeasurements();
        ForeignCpu foreign = ForeignCpu.start();
        JsonNode run = browser.collect(MEASURE);
        foreignCores = foreign.coresUsed();
        return run;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /**
     * Behaviour that holds on a loaded 2-core machine (other builds, a CPU hog beside this
     * test): it plays live, frame stamps advance, audio plays, video follows the audio clock.
     * Each bound is far from what a working player does on an idle machine and far from what a
     * broken one does anywhere; the figures themselves (latency, concealment, dropped frames)
     * are judged against their goals by {@code bench/run latency --check}, not here.
     */
    private static void assertPlaysLiveAndInSync(JsonNode run, boolean checkAudio) {
        JsonNode first = run.path("first");
        JsonNode last = run.path("last");
        double seconds = MEASURE.toMillis() / 1000.0;
        System.out.printf("player stats after %s (other processes used %.2f cores; load average %s): %s%n",
                MEASURE, foreignCores, loadAverage(), last.toPrettyString());
        assertThat(last.path("state").asText()).isEqualTo("playing");
        // The source sends 30 fps; a stuck picture shows 0. A busy machine has shown 20+.
        long frames = last.path("framesShown").asLong() - first.path("framesShown").asLong();
        assertThat(frames / seconds).as("frames shown per second (video advances)").isGreaterThan(5);
        JsonNode pixel = last.path("latencyPixelMs");
        assertThat(pixel.path("samples").asInt()).as("frames whose stamp was read").isGreaterThan((int) (frames * 0.8));
        JsonNode metadata = last.path("latencyMetadataMs");
        assertThat(Math.abs(metadata.path("p50").asDouble() - pixel.path("p50").asDouble()))
                .as("metadata and pixel latency agree").isLessThan(20.0);
        // Live, not behind: a join that plays the relay's GOP backlog, or a player that falls
        // behind and never catches up, is a GOP (3 s) or more late. The goal (p50 <= 60 ms) is
        // the benchmark's; a second is far above anything a loaded machine has shown (~200 ms).
        assertThat(latencyAfterJoinMs).as("pixel latency %s after the first frame (join at the live edge), ms", SETTLE)
                .isBetween(1.0, JOINED_LIVE_EDGE_MAX_MS);
        assertThat(pixel.path("p50").asDouble()).as("pixel latency p50 (plays live), ms").isBetween(1.0, JOINED_LIVE_EDGE_MAX_MS);
        if (!checkAudio) {
            return;
        }
        assertThat(last.path("audioRunning").asBoolean()).isTrue();
        long packets = last.path("audioPacketsDecoded").asLong() - first.path("audioPacketsDecoded").asLong();
        assertThat(packets / seconds).as("Opus packets decoded per second (50 sent)").isGreaterThan(45);
        // The output device's own clock: headless Chromium's fake device skips the callbacks it
        // missed on a busy machine, so it can run ~1 s short in 8; the player must feed every
        // sample the device asks for, however many that is.
        double deviceMs = last.path("audioContextTimeMs").asDouble() - first.path("audioContextTimeMs").asDouble();
        double played = last.path("audioPlayedMs").asDouble() - first.path("audioPlayedMs").asDouble();
        double concealed = last.path("audioConcealedMs").asDouble() - first.path("audioConcealedMs").asDouble();
        System.out.printf("audio: AudioContext clock advanced %.0f ms in %.0f ms; worklet played %.0f ms of it, %.0f ms concealed%n",
                deviceMs, seconds * 1000, played, concealed);
        assertThat(deviceMs).as("AudioContext clock advanced, ms (the audio output runs)").isGreaterThan(seconds * 1000 * 0.5);
        assertThat(played).as("audio played through the worklet vs the AudioContext clock, ms").isGreaterThan(deviceMs * 0.97);
        // Audio plays, not silence: a decoder or jitter buffer that stops feeds concealment
        // only. A loaded machine concealed 2-4 % (the goal, < 1 %, is the benchmark's); a
        // quarter concealed would be sound breaking up several times a second.
        assertThat(played - concealed).as("decoded audio played (not concealment), ms").isGreaterThan(played * 0.75);
        // Lip sync: video follows the audio clock. A player that paces video on its own drifts
        // by seconds; +-150 ms leaves a loaded machine's late frames room (the goal, +-40 ms, is
        // the benchmark's) and stays near what viewers notice (ITU-R BT.1359: -125/+45 ms).
        JsonNode av = last.path("avOffsetMs");
        assertThat(av.path("samples").asInt()).as("frames with an A/V offset").isGreaterThan((int) (frames * 0.8));
        assertThat(av.path("p50").asDouble()).as("A/V offset p50, ms").isBetween(-150.0, 150.0);
    }

    @Test
    @Order(1)
    void msePathPlaysLiveInLipSync() {
        JsonNode run = playAndMeasure("");
        assertThat(run.path("last").path("videoPath").asText()).isEqualTo("mse");
        // Its MSE shows frames: the player neither noted a missing picture nor left the path (the default URL).
        assertThat(run.path("last").path("videoPathNote").asText()).as("the player's note on its path").isEmpty();
        assertThat(run.path("last").path("videoDecodeErrors").asInt()).isZero();
        assertThat(run.path("last").path("audioDecoder").asText()).isEqualTo("webcodecs");

        // The overlay shows live figures: they change from one refresh to the next.
        String framesBefore = browser.text("[data-stat=\"Frames\"]");
        assertThat(browser.text("[data-stat=\"Latency (pixels)\"]")).matches(".*\\d+ ms.*");
        browser.screenshot(ARTIFACTS.resolve("player-mse.png"));
        assertThat(browser.evaluate(CLIPPED_STATS)).as("overlay values cut off at an edge").isEmpty();
        browser.collect(Duration.ofSeconds(1));
        assertThat(browser.text("[data-stat=\"Frames\"]")).isNotEqualTo(framesBefore);

        assertPlaysLiveAndInSync(run, true);
    }

    @Test
    @Order(2)
    void webCodecsPathPlaysLiveInLipSync() {
        JsonNode run = playAndMeasure("video=webcodecs");
        assertThat(run.path("last").path("videoPath").asText()).isEqualTo("webcodecs");
        browser.screenshot(ARTIFACTS.resolve("player-webcodecs.png"));
        assertPlaysLiveAndInSync(run, true);
    }

    @Test
    @Order(3)
    void withoutWebCodecsAudioTheWasmOpusDecoderPlaysInSync() {
        // The page has no AudioDecoder (its worker still would): the player notices and decodes with WASM.
        assertThat(browser.openWithoutWebCodecsAudio(playUrl(STREAM, ""))).isEqualTo("undefined");
        JsonNode run = measure();
        JsonNode last = run.path("last");
        assertThat(last.path("audioDecoder").asText()).isEqualTo("wasm");
        assertThat(last.path("audioUnsupported").asText()).isEmpty();
        assertThat(last.path("audioDecodeErrors").asInt()).isZero();
        assertThat(browser.text("[data-stat=\"Audio decoder\"]")).contains("WASM");
        browser.screenshot(ARTIFACTS.resolve("player-wasm-audio.png"));
        assertPlaysLiveAndInSync(run, true);
    }

    @Test
    @Order(4)
    void audioWasmQueryForcesTheWasmOpusDecoder() {
        browser.open(playUrl(STREAM, "audio=wasm"));
        browser.waitFor(List.of("playing"), 10, Duration.ofSeconds(30));
        JsonNode run = browser.collect(Duration.ofSeconds(2));
        JsonNode last = run.path("last");
        assertThat(last.path("audioDecoder").asText()).isEqualTo("wasm");
        assertThat(last.path("audioPacketsDecoded").asLong() - run.path("first").path("audioPacketsDecoded").asLong())
                .as("Opus packets decoded in 2 s").isGreaterThan(80);
        // Against the AudioContext's clock, which a busy machine's fake output device lets fall behind wall time.
        double deviceMs = last.path("audioContextTimeMs").asDouble() - run.path("first").path("audioContextTimeMs").asDouble();
        assertThat(deviceMs).as("AudioContext clock advanced in 2 s, ms").isGreaterThan(1000);
        assertThat(last.path("audioPlayedMs").asDouble() - run.path("first").path("audioPlayedMs").asDouble())
                .as("audio played through the worklet in 2 s vs the AudioContext clock, ms").isGreaterThan(deviceMs * 0.75);
    }

    @Test
    @Order(5)
    void withoutAutoplayVideoPlaysAndAClickUnmutesTheAudio() throws Exception {
        // The shared browser would otherwise go on playing the previous test's stream beside this one.
        browser.open("about:blank");
        try (ChromiumPlayer strict = ChromiumPlayer.launch(WEB_PLAYER, ARTIFACTS.resolve("chromium-strict.log"), false)) {
            strict.open(playUrl(STREAM, ""));
            JsonNode muted = strict.waitFor(List.of("playing"), 30, Duration.ofSeconds(30));
            assertThat(muted.path("audioRunning").asBoolean()).as("audio before any gesture").isFalse();
            // Progress, not a rate: a machine loaded several times over showed 26 frames in 2 s (proof run 33).
            JsonNode silent = strict.waitFor(List.of("playing"), muted.path("framesShown").asInt() + 30, Duration.ofSeconds(15));
            assertThat(silent.path("audioRunning").asBoolean()).as("audio after 30 more frames, still without a gesture").isFalse();
            assertThat(strict.visible(".tc-unmute")).isTrue();
            strict.screenshot(ARTIFACTS.resolve("player-click-to-unmute.png"));

            strict.click(".tc-unmute");
            JsonNode heard = strict.collect(Duration.ofSeconds(3));
            JsonNode last = heard.path("last");
            assertThat(last.path("audioRunning").asBoolean()).isTrue();
            // The context's clock starts at the click (it was suspended); judge what played against it.
            double deviceMs = last.path("audioContextTimeMs").asDouble();
            assertThat(deviceMs).as("AudioContext clock advanced in the 3 s after the click, ms").isGreaterThan(1500);
            assertThat(last.path("audioPlayedMs").asDouble()).as("audio played after the click vs the AudioContext clock, ms")
                    .isGreaterThan(deviceMs * 0.75);
            // The video follows the audio clock: 30 frames placed against the audio heard. Progress, not a rate: proof
            // run 41 (beside a CPU hog) had exactly 30 in the 3 s above.
            JsonNode followed = strict.waitUntil("(() => { const s = window.tunnelcast.stats; return s.avOffsetMs.samples > 30 && s; })()",
                    Duration.ofSeconds(15));
            assertThat(followed.path("audioRunning").asBoolean()).isTrue();
            assertThat(strict.visible(".tc-unmute")).isFalse();
        }
    }

    @Test
    @Order(6)
    void badTokenShowsUnauthorized() {
        PlayerScenarios.assertRefusedToken(browser, stack, STREAM);
        browser.screenshot(ARTIFACTS.resolve("player-unauthorized.png"));
    }

    @Test
    @Order(7)
    void streamWithoutPublisherWaitsAndEndedStreamShowsOffline() {
        browser.open(playUrl("nobody", ""));
        JsonNode waiting = browser.waitFor(List.of("waiting"), 0, Duration.ofSeconds(15));
        assertThat(waiting.path("message").asText()).startsWith("No stream named “nobody” is live yet.");
        browser.collect(Duration.ofSeconds(1));
        assertThat(browser.text(".tc-message-text")).startsWith("No stream named “nobody” is live yet.");
        browser.screenshot(ARTIFACTS.resolve("player-no-such-stream.png"));

        stack.publish("brief");
        browser.open(playUrl("brief", ""));
        browser.waitFor(List.of("playing"), 10, Duration.ofSeconds(30));
        stack.stopPublishing("brief");
        JsonNode offline = browser.waitFor(List.of("offline"), 0, Duration.ofSeconds(10));
        assertThat(offline.path("message").asText()).containsIgnoringCase("offline");
        browser.collect(Duration.ofSeconds(1));
        assertThat(browser.text(".tc-message-text")).containsIgnoringCase("offline");
        browser.screenshot(ARTIFACTS.resolve("player-offline.png"));
    }

    @Test
    @Order(8)
    void relayRestartShowsReconnectingReconnectsWithinThreeSecondsAndResumes() throws Exception {
        PlayerScenarios.assertResumesAfterRelayRestart(browser, stack, playUrl(STREAM, ""));
    }

    @Test
    @Order(9)
    void aCorruptVideoPacketIsRecoveredAtTheNextKeyframeWithoutAReload() {
        recoversFromACorruptPacket("");
    }

    @Test
    @Order(10)
    void aCorruptVideoPacketIsRecoveredOnTheWebCodecsPathToo() {
        recoversFromACorruptPacket("video=webcodecs&");
    }

    /** The page's test-only flag gives one video packet (after the join's backlog) an invalid NAL length. */
    private static void recoversFromACorruptPacket(String query) {
        browser.open(playUrl(STREAM, query + "test-corrupt-video=150"));
        browser.waitFor(List.of("playing"), 30, Duration.ofSeconds(30));
        JsonNode stats = browser.stats();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (stats.path("videoRecoveries").asInt() == 0 && System.nanoTime() < deadline) {
            stats = browser.collect(Duration.ofMillis(500)).path("last");
        }
        assertThat(stats.path("videoRecoveries").asInt()).as("recoveries after the corrupt packet").isEqualTo(1);
        assertThat(stats.path("videoDecodeErrors").asInt()).isEqualTo(1);
        // Frames advance again (from the next keyframe, at most one GOP later) in the same page:
        // a stuck picture shows none; the bound leaves room for a busy machine's frame rate.
        browser.collect(Duration.ofSeconds(3));
        JsonNode after = browser.collect(Duration.ofSeconds(2));
        assertThat(after.path("last").path("framesShown").asLong() - after.path("first").path("framesShown").asLong())
                .as("frames shown in 2 s after the recovery").isGreaterThan(10);
        assertThat(after.path("last").path("state").asText()).isEqualTo("playing");
        assertThat(after.path("last").path("videoRecoveries").asInt()).as("one corrupt packet, one recovery").isEqualTo(1);
        assertThat(after.path("last").path("latencyPixelMs").path("last").asDouble()).as("back at the live edge, ms")
                .isLessThan(JOINED_LIVE_EDGE_MAX_MS);
    }
}
