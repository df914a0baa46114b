package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunnelcast.bench.latency.ChromiumPlayer;
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
 * The web player in real headless Firefox (Debian's firefox-esr through puppeteer-core over
 * WebDriver BiDi, audio to a PulseAudio null sink) against a real relay and capture agent on
 * the synthetic source, on loopback: on the MSE path (which froze after ~5 s when Firefox left a
 * sliver behind a trim) and the WebCodecs path, frame stamps advance, audio plays through the
 * worklet against the AudioContext's own clock, and video follows it. Bounds as in
 * {@link PlayerE2ETest}: far from a working player on a loaded machine and from a broken one.
 * Screenshots go to target/e2e/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 240)
class FirefoxPlayerE2ETest {

    private static final Path WEB_PLAYER = Path.of("..", "web-player").toAbsolutePath().normalize();
    private static final Path ARTIFACTS = Path.of("target", "e2e").toAbsolutePath();
    private static final String STREAM = "cam";
    /** Longer than the ~5 s after which the MSE path used to freeze. */
    private static final Duration MEASURE = Duration.ofSeconds(10);
    /** From the first frame to the measurement: the join's GOP, and Firefox's slower start. */
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private static LiveStack stack;
    private static ChromiumPlayer browser;

    @BeforeAll
    static void startPipeline() throws Exception {
        Files.createDirectories(ARTIFACTS);
        stack = LiveStack.start(new LiveStack.Options(640, 360, 30, 1_000_000, Duration.ofSeconds(3)));
        stack.publish(STREAM);
        browser = ChromiumPlayer.launchFirefox(WEB_PLAYER, ARTIFACTS.resolve("firefox.log"));
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

    private static JsonNode playAndMeasure(String extraQuery) {
        browser.open(stack.playerUrl(STREAM, stack.token(Action.PLAY, STREAM), extraQuery).toString());
        browser.waitFor(List.of("playing"), 30, Duration.ofSeconds(60));
        browser.collect(SETTLE);
        browser.resetMeasurements();
        return browser.collect(MEASURE);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static void assertPlaysLiveWithAudio(JsonNode run) {
        JsonNode first = run.path("first");
        JsonNode last = run.path("last");
        double seconds = MEASURE.toMillis() / 1000.0;
        System.out.printf("Firefox player stats after %s (load average %s): %s%n", MEASURE, loadAverage(), last.toPrettyString());
        assertThat(last.path("state").asText()).isEqualTo("playing");
        long frames = last.path("framesShown").asLong() - first.path("framesShown").asLong();
        assertThat(frames / seconds).as("frames shown per second (video advances; 30 sent)").isGreaterThan(5);
        long stamps = last.path("pixelStampsRead").asLong() - first.path("pixelStampsRead").asLong();
        assertThat(stamps).as("frames whose stamp was read").isGreaterThan((long) (frames * 0.8));
        assertThat(last.path("lastPixelStamp").asLong()).as("the newest frame stamp moved on")
                .isGreaterThan(first.path("lastPixelStamp").asLong());
        assertThat(last.path("latencyPixelMs").path("p50").asDouble()).as("pixel latency p50 (plays live), ms").isBetween(1.0, 1000.0);

        assertThat(last.path("audioRunning").asBoolean()).as("AudioContext running (a sound server is there)").isTrue();
        assertThat(last.path("audioStartFailures").asInt()).isZero();
        long packets = last.path("audioPacketsDecoded").asLong() - first.path("audioPacketsDecoded").asLong();
        assertThat(packets / seconds).as("Opus packets decoded per second (50 sent)").isGreaterThan(45);
        double deviceMs = last.path("audioContextTimeMs").asDouble() - first.path("audioContextTimeMs").asDouble();
        double played = last.path("audioPlayedMs").asDouble() - first.path("audioPlayedMs").asDouble();
        double concealed = last.path("audioConcealedMs").asDouble() - first.path("audioConcealedMs").asDouble();
        System.out.printf("Firefox audio: AudioContext clock advanced %.0f ms in %.0f ms; worklet played %.0f ms, %.0f ms concealed%n",
                deviceMs, seconds * 1000, played, concealed);
        assertThat(deviceMs).as("AudioContext clock advanced, ms").isGreaterThan(seconds * 1000 * 0.5);
        assertThat(played).as("audio played through the worklet vs the AudioContext clock, ms").isGreaterThan(deviceMs * 0.97);
        assertThat(played - concealed).as("decoded audio played (not concealment), ms").isGreaterThan(played * 0.75);
        JsonNode av = last.path("avOffsetMs");
        assertThat(av.path("samples").asInt()).as("frames with an A/V offset").isGreaterThan((int) (frames * 0.8));
        assertThat(av.path("p50").asDouble()).as("A/V offset p50, ms").isBetween(-150.0, 150.0);
    }

    @Test
    @Order(1)
    void msePathPlaysLiveWithAudioPastTheOldFiveSecondFreeze() {
        JsonNode run = playAndMeasure("");
        assertThat(run.path("last").path("videoPath").asText()).isEqualTo("mse");
        assertThat(run.path("last").path("videoDecodeErrors").asInt()).isZero();
        browser.screenshot(ARTIFACTS.resolve("firefox-mse.png"));
        assertPlaysLiveWithAudio(run);
    }

    @Test
    @Order(2)
    void webCodecsPathPlaysLiveWithAudio() {
        JsonNode run = playAndMeasure("video=webcodecs");
        assertThat(run.path("last").path("videoPath").asText()).isEqualTo("webcodecs");
        browser.screenshot(ARTIFACTS.resolve("firefox-webcodecs.png"));
        assertPlaysLiveWithAudio(run);
    }
}
