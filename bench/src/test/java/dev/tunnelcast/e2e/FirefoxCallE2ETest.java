package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunnelcast.bench.call.CallMedia;
import dev.tunnelcast.bench.call.CallPage;
import dev.tunnelcast.bench.latency.ChromiumPlayer;
import dev.tunnelcast.bench.latency.LiveStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A call between browser engines: ann's page in headless Chromium (a camera file with frame stamps,
 * a microphone file of beeps) and fox's in Firefox (its own fake camera and tone), on a real relay
 * on loopback. Firefox's H.264 encoder holds 1.4 s of frames, so fox's page sends VP8 (the call
 * page's low-delay choice) and says why; ann's tile plays it (her player's MSE path cannot, so it
 * takes WebCodecs by itself); each sees the other's pictures advance and hears the other.
 */
@Timeout(value = 240)
class FirefoxCallE2ETest {

    private static final Path WEB_PLAYER = Path.of("..", "web-player").toAbsolutePath().normalize();
    private static final Path ARTIFACTS = Path.of("target", "e2e").toAbsolutePath();
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String ROOM = "engines";
    private static final String SIZE = "320x180";
    private static final int FPS = 15;
    private static final long ANNS_FIRST_STAMP = 100_000;

    private static LiveStack stack;
    private static ChromiumPlayer chromium;
    private static ChromiumPlayer firefox;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(ARTIFACTS);
        Path work = Files.createTempDirectory(ARTIFACTS, "firefox-call-");
        stack = LiveStack.start(new LiveStack.Options(320, 180, FPS, 300_000, Duration.ofSeconds(3)));
        chromium = ChromiumPlayer.launch(WEB_PLAYER, ARTIFACTS.resolve("firefox-call-chromium.log"), ChromiumPlayer.Options.defaults()
                .withFakeMedia(CallMedia.camera(work, 320, 180, FPS, ANNS_FIRST_STAMP), CallMedia.microphone(work)));
        firefox = ChromiumPlayer.launchFirefoxForCall(WEB_PLAYER, ARTIFACTS.resolve("firefox-call-firefox.log"));
    }

    @AfterAll
    static void stop() {
        if (firefox != null) {
            firefox.close();
        }
        if (chromium != null) {
            chromium.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aChromiumAndAFirefoxPageSeeAndHearEachOther() {
        CallPage ann = new CallPage(chromium.tab("main"), "ann");
        CallPage fox = new CallPage(firefox.tab("main"), "fox");
        for (CallPage page : new CallPage[] {ann, fox}) {
            String origin = "http://127.0.0.1:" + stack.port();
            page.open(CallPage.link(origin, ROOM, page.participant(), stack.joinToken(ROOM, page.participant()), SIZE, FPS), DEADLINE);
            page.join(DEADLINE);
        }
        JsonNode foxs = fox.awaitFigures("s.self.publisher && s.self.publisher.videoPacketsSent >= 30", DEADLINE);
        JsonNode foxsPublisher = foxs.path("self").path("publisher");
        System.out.printf(Locale.ROOT, "fox's publisher (Firefox): %s, %s; capture to packet %.1f ms%n", foxsPublisher.path("videoCodec").asText(),
                foxsPublisher.path("videoCodecNote").asText(), foxsPublisher.path("videoCaptureToPacketMs").asDouble());
        assertThat(foxsPublisher.path("videoCodec").asText()).isEqualTo("vp8");
        assertThat(foxsPublisher.path("videoCodecNote").asText()).contains("H.264 encoder held");

        // fox sees ann's frame stamps advance and hears her beeps.
        double foxSince = fox.stats().path("relayNowMs").asDouble();
        JsonNode foxSees = fox.awaitFigures(String.format(Locale.ROOT, "s.tiles.some((t) => t.participant === 'ann' && t.playerState === 'playing'"
                + " && t.stampsShown.filter(([st, at]) => at > %.1f && st >= %d).length >= 10"
                + " && t.beepsHeardAtMs.filter((at) => at > %.1f).length >= 2)", foxSince, ANNS_FIRST_STAMP, foxSince), DEADLINE);
        // ann sees fox's pictures advance (Firefox's camera has no stamps) and hears its tone.
        JsonNode first = CallPage.tile(ann.awaitFigures("s.tiles.some((t) => t.participant === 'fox' && t.playerState === 'playing')",
                DEADLINE), "fox").orElseThrow();
        JsonNode annSees = ann.awaitFigures(String.format(Locale.ROOT, "s.tiles.some((t) => t.participant === 'fox' && t.playerState === 'playing'"
                + " && t.framesShown >= %d && t.audioPlayedMs >= %f && t.audioDecodedLevelDb > -40)",
                first.path("framesShown").asInt() + 30, first.path("audioPlayedMs").asDouble() + 2000), DEADLINE);
        System.out.printf(Locale.ROOT, "fox's tile of ann: %.0f ms capture to display%n",
                CallPage.tile(foxSees, "ann").orElseThrow().path("latencyMs").asDouble());
        JsonNode foxOnAnn = CallPage.tile(annSees, "fox").orElseThrow();
        System.out.printf(Locale.ROOT, "ann's tile of fox: %d frames shown, %.0f ms of audio played at %.0f dB, %.0f ms capture to display%n",
                foxOnAnn.path("framesShown").asInt(), foxOnAnn.path("audioPlayedMs").asDouble(),
                foxOnAnn.path("audioDecodedLevelDb").asDouble(), foxOnAnn.path("latencyMs").asDouble());
        chromium.tab("main").screenshot(ARTIFACTS.resolve("firefox-call-ann.png"));
        firefox.tab("main").screenshot(ARTIFACTS.resolve("firefox-call-fox.png"));
    }
}
