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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The web player in real WebKit (Debian's WebKitGTK MiniBrowser through WebKitWebDriver, on an
 * Xvfb display of its own, audio to a PulseAudio null sink) against a real relay and capture
 * agent on the synthetic source, on loopback: on the WebCodecs path, frame stamps advance, audio
 * plays through the worklet against the AudioContext's own clock (whose output timestamps this
 * WebKit reports ahead of {@code performance.now()}), and video follows it.
 *
 * <p>Not checked here, and why: the MSE path. WebKitGTK 2.50 under Xvfb shows no MSE frame
 * with compositing off (the mode in which WebCodecs keeps up on 2 cores), and about 3 frames
 * per second with it on. Screenshots go to target/e2e/.
 */
@Timeout(value = 240)
class WebKitPlayerE2ETest {

    private static final Path WEB_PLAYER = Path.of("..", "web-player").toAbsolutePath().normalize();
    private static final Path ARTIFACTS = Path.of("target", "e2e").toAbsolutePath();
    private static final String STREAM = "cam";
    private static final Duration MEASURE = Duration.ofSeconds(10);
    /** From the first frame to the measurement: the join's GOP. */
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private static LiveStack stack;
    private static ChromiumPlayer browser;

    @BeforeAll
    static void startPipeline() throws Exception {
        Files.createDirectories(ARTIFACTS);
        stack = LiveStack.start(new LiveStack.Options(640, 360, 30, 1_000_000, Duration.ofSeconds(3)));
        stack.publish(STREAM);
        browser = ChromiumPlayer.launchWebKit(WEB_PLAYER, ARTIFACTS.resolve("webkit.log"));
        System.out.println("WebKit: the MSE path is not checked (WebKitGTK under Xvfb shows no MSE frame without compositing);"
                + " the WebCodecs path is.");
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

    @Test
    void webCodecsPathPlaysLiveWithAudio() {
        browser.open(stack.playerUrl(STREAM, stack.token(Action.PLAY, STREAM), "video=webcodecs").toString());
        browser.waitFor(List.of("playing"), 30, Duration.ofSeconds(60));
        browser.collect(SETTLE);
        browser.resetMeasurements();
        JsonNode run = browser.collect(MEASURE);
        assertThat(run.path("last").path("videoPath").asText()).isEqualTo("webcodecs");
        assertThat(run.path("last").path("videoDecodeErrors").asInt()).isZero();
        browser.screenshot(ARTIFACTS.resolve("webkit-webcodecs.png"));
        EnginePlayerChecks.assertPlaysLiveWithAudio("WebKit", run, MEASURE);
    }
}
