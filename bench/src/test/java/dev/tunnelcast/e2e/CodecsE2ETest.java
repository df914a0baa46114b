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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * VP8, VP9 and AV1 through the whole pipeline: a real agent encodes the synthetic source
 * (libvpx, libvpx-vp9, SVT-AV1), a real relay fans it out, and the player in headless
 * Chromium decodes it on both video paths (MSE fMP4 and WebCodecs): frames decode and
 * advance without decode errors, and the stats name the codec. Chromium's MSE has no VP8 in
 * MP4, so VP8 on MSE must say "unsupported" rather than hang, and the stream list must mark it
 * with a link to WebCodecs; an engine without MediaSource gets WebCodecs by itself. Small pictures keep the class
 * short on 2 cores; one check plays VP9 at 720p.
 */
@Timeout(value = 180)
class CodecsE2ETest {

    private static final Path WEB_PLAYER = Path.of("..", "web-player").toAbsolutePath().normalize();
    private static final Path ARTIFACTS = Path.of("target", "e2e").toAbsolutePath();

    private static LiveStack stack;
    private static ChromiumPlayer browser;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(ARTIFACTS);
        stack = LiveStack.start(new LiveStack.Options(320, 240, 30, 500_000, Duration.ofSeconds(3)));
        browser = ChromiumPlayer.launch(WEB_PLAYER, ARTIFACTS.resolve("chromium-codecs.log"));
        // Warm-up, not judged: the in-process relay and agent start cold (JIT), and so does
        // Chromium's media pipeline; a cold first stream can stall for a second or two.
        stack.publish("warm-up");
        browser.open(url("warm-up", ""));
        browser.waitFor(List.of("playing"), 30, Duration.ofSeconds(30));
        stack.stopPublishing("warm-up");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private static String url(String stream, String query) {
        return stack.playerUrl(stream, stack.token(Action.PLAY, stream), query).toString();
    }

    /**
     * Plays the stream on one path: frames decode and keep advancing, with no decode errors;
     * returns the last stats. How fast they advance is the benchmark's business (a loaded
     * 2-core machine may encode 720p VP9 at a few frames a second), so this waits for 15 more
     * frames with a generous deadline rather than counting frames in a fixed window.
     */
    private static JsonNode playsOn(String stream, String path) {
        browser.open(url(stream, path.equals("webcodecs") ? "video=webcodecs" : ""));
        JsonNode first = browser.waitFor(List.of("playing"), 15, Duration.ofSeconds(20));
        int framesAtStart = first.path("framesShown").asInt();
        JsonNode last = browser.waitFor(List.of("playing"), framesAtStart + 15, Duration.ofSeconds(30));
        assertThat(last.path("videoPath").asText()).isEqualTo(path);
        assertThat(last.path("framesShown").asInt()).as(stream + " on " + path + ": frames advance")
                .isGreaterThanOrEqualTo(framesAtStart + 15);
        assertThat(last.path("framesDecoded").asInt()).as("frames decoded").isGreaterThan(15);
        assertThat(last.path("videoDecodeErrors").asInt()).as("decode errors").isZero();
        return last;
    }

    @ParameterizedTest(name = "{0} via {1}")
    @CsvSource({
        "libvpx-vp9, mse,       vp09.00.20.08",
        "libvpx-vp9, webcodecs, vp09.00.20.08",
        "libsvtav1,  mse,       av01.0.00M.08",
        "libsvtav1,  webcodecs, av01.0.00M.08",
        "libvpx,     webcodecs, vp8",
    })
    void playsOnBothVideoPathsAndNamesTheCodec(String encoder, String path, String codec) {
        String stream = encoder + "-" + path;
        stack.publish(stream, encoder, 320, 240);
        try {
            JsonNode last = playsOn(stream, path);
            assertThat(last.path("videoCodec").asText()).isEqualTo(codec);
            assertThat(browser.text("[data-stat=\"Video codec\"]")).isEqualTo(codec);
            browser.screenshot(ARTIFACTS.resolve("codec-" + stream + ".png"));
        } finally {
            stack.stopPublishing(stream);
        }
    }

    @Test
    void vp8OnTheAutomaticPathSwitchesToWebCodecsAndSaysWhy() {
        stack.publish("vp8-auto", "libvpx", 320, 240);
        try {
            browser.open(url("vp8-auto", ""));
            JsonNode first = browser.waitFor(List.of("playing"), 15, Duration.ofSeconds(20));
            JsonNode last = browser.waitFor(List.of("playing"), first.path("framesShown").asInt() + 15, Duration.ofSeconds(30));
            assertThat(last.path("videoPath").asText()).isEqualTo("webcodecs");
            assertThat(last.path("videoPathNote").asText())
                    .isEqualTo("this browser cannot play vp8 video on the MSE path: switched to WebCodecs");
            assertThat(last.path("videoDecodeErrors").asInt()).isZero();

            // The stream list does not mark it: the player it links to plays it.
            browser.open(url("vp8-auto", "").replace("#/play/vp8-auto", "#/"));
            assertThat(browser.waitUntil("document.querySelector('.tc-card[data-playable]')?.dataset.playable", Duration.ofSeconds(20))
                    .asText()).isEqualTo("true");
            assertThat(browser.evaluate("document.querySelector('.tc-card[data-unplayable]') === null").asBoolean()).isTrue();
        } finally {
            stack.stopPublishing("vp8-auto");
        }
    }

    @Test
    void vp8OnPinnedMseIsReportedAsAnUnsupportedCodec() {
        stack.publish("vp8-mse", "libvpx", 320, 240);
        try {
            browser.open(url("vp8-mse", "video=mse"));
            JsonNode stats = browser.waitFor(List.of("unsupported"), 0, Duration.ofSeconds(20));
            assertThat(stats.path("message").asText()).isEqualTo("This browser cannot play vp8 video through MSE.");
            assertThat(stats.path("videoCodec").asText()).isEqualTo("vp8");

            // The stream list asks ahead: it marks the stream and links to the path that plays it here.
            browser.open(url("vp8-mse", "video=mse").replace("#/play/vp8-mse", "#/"));
            String unplayable = ".tc-card[data-unplayable=\"true\"] .tc-card-warning";
            assertThat(browser.waitUntil("document.querySelector('" + unplayable + "')?.innerText", Duration.ofSeconds(20)).asText())
                    .contains("vp8 does not play here through MSE").contains("Watch with WebCodecs");
            assertThat(browser.evaluate("document.querySelector('" + unplayable + " a').getAttribute('href')").asText())
                    .contains("video=webcodecs").endsWith("#/play/vp8-mse");
        } finally {
            stack.stopPublishing("vp8-mse");
        }
    }

    @Test
    void withoutMediaSourceThePlayerTakesWebCodecsByItself() {
        stack.publish("no-mse", "libx264", 320, 240);
        try {
            browser.openWithout(url("no-mse", ""), List.of("MediaSource", "ManagedMediaSource"));
            JsonNode first = browser.waitFor(List.of("playing"), 15, Duration.ofSeconds(20));
            JsonNode last = browser.waitFor(List.of("playing"), first.path("framesShown").asInt() + 15, Duration.ofSeconds(30));
            assertThat(last.path("videoPath").asText()).isEqualTo("webcodecs");
            assertThat(last.path("videoPathNote").asText()).isEmpty();
            assertThat(last.path("videoDecodeErrors").asInt()).isZero();
        } finally {
            stack.stopPublishing("no-mse");
        }
    }

    @Test
    void vp9At720pPlaysOnMse() {
        stack.publish("vp9-720p", "libvpx-vp9", 1280, 720);
        try {
            JsonNode last = playsOn("vp9-720p", "mse");
            assertThat(last.path("videoCodec").asText()).isEqualTo("vp09.00.31.08");
            assertThat(browser.evaluate("document.querySelector('video').videoWidth").asInt())
                    .isEqualTo(1280);
        } finally {
            stack.stopPublishing("vp9-720p");
        }
    }
}
