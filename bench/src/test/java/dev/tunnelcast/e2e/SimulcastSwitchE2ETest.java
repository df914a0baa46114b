package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunnelcast.agent.encode.LayerSpec;
import dev.tunnelcast.bench.harness.MachineInfo;
import dev.tunnelcast.bench.latency.ChromiumPlayer;
import dev.tunnelcast.bench.latency.LiveStack;
import dev.tunnelcast.server.auth.Action;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A simulcast layer switch in the web player, in real headless Chromium against a real relay
 * and a real agent publishing {@code 640x360@600k,320x180@150k}: the player starts on the low
 * layer ({@code ?start=180p}, quality auto) and the relay probes it up to the top layer after
 * {@code --layer-probe-after} (5 s) of a short queue, at the next keyframe: a real switch that
 * needs no impairment, so nothing but the switch can interrupt the picture. On each video path
 * the switch must be taken in place (the layer changes, counted as a switch, with no new
 * MediaSource or decoder between the last frame of the low layer shown and the first of the top
 * one, and no decode error) and the frames shown must go on across it. A path may still start
 * over elsewhere for what a loaded 2-core machine does to it (MSE's stall watchdog, a WebCodecs
 * decoder slower than real time): that is not the switch's doing and is not judged here.
 */
@Timeout(value = 150)
class SimulcastSwitchE2ETest {

    private static final Path WEB_PLAYER = Path.of("..", "web-player").toAbsolutePath().normalize();
    private static final Path ARTIFACTS = Path.of("target", "e2e").toAbsolutePath();
    private static final String STREAM = "layers";
    private static final List<LayerSpec> LAYERS = LayerSpec.parseList("640x360@600k,320x180@150k");
    private static final long FRAME_MICROS = 33_333;
    /**
     * The frames shown on either side of the switch may be this many frame intervals apart in
     * media time. In place, the last frame of the low layer and the new layer's keyframe are
     * consecutive pictures (the relay switches at a keyframe's pts and sends the low layer up to
     * it), so 1 on an idle machine; but a loaded one shows what it can: at a load average of
     * 10-12 (other worktrees' browsers) Chromium showed 13 of the 30 fps, the frames across the
     * switch 4-5 intervals apart (as frames anywhere else then). A switch that lost the new
     * layer's keyframe (a decode error, a wait for the next keyframe) loses a GOP: 60.
     */
    private static final int MAX_FRAMES_ACROSS_SWITCH = 15;
    /** Top-layer frames shown after the switch before the record is read. */
    private static final int FRAMES_AFTER_SWITCH = 10;
    /**
     * Records every frame the player shows: [pts µs, display time ms, width, MediaSources or
     * decoders started so far]. The width tells the layer (MSE: the decoded frame's; WebCodecs:
     * the canvas's, resized at the new layer's first frame).
     */
    private static final String RECORD_FRAMES = """
            (() => {
              const p = window.tunnelcast.player;
              const shown = [];
              window.framesShown = shown;
              const original = p.frameShown.bind(p);
              p.frameShown = (f) => { shown.push([f.ptsMicros, f.displayPerfMs, f.width, p.video.starts]); original(f); };
              return true;
            })()""";

    private static LiveStack stack;
    private static ChromiumPlayer browser;

    @BeforeAll
    static void startPipeline() throws Exception {
        Files.createDirectories(ARTIFACTS);
        stack = LiveStack.start(new LiveStack.Options(640, 360, 30, 600_000, Duration.ofSeconds(3)));
        stack.publishLayers(STREAM, LAYERS);
        browser = ChromiumPlayer.launch(WEB_PLAYER, ARTIFACTS.resolve("chromium-simulcast.log"));
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
    void msePathSwitchesUpInPlace() {
        switchesUpInPlace("mse");
    }

    @Test
    void webCodecsPathSwitchesUpInPlace() {
        switchesUpInPlace("webcodecs");
    }

    private static void switchesUpInPlace(String path) {
        String token = stack.token(Action.PLAY, STREAM);
        browser.open(stack.playerUrl(STREAM, token, "video=" + path + "&start=180p").toString());
        JsonNode before = browser.waitFor(List.of("playing"), 15, Duration.ofSeconds(30));
        browser.evaluate(RECORD_FRAMES);
        assertThat(before.path("videoPath").asText()).isEqualTo(path);
        assertThat(before.path("videoLayer").asText()).as("started on the low layer").isEqualTo("180p · layer 2 of 2");

        // The probe comes 5 s after the join, at the next keyframe (a GOP is 2 s).
        browser.waitUntil("window.tunnelcast.stats.videoLayer.startsWith('360p') && window.framesShown.filter((f) => f[2] === 640)"
                + ".length >= " + FRAMES_AFTER_SWITCH, Duration.ofSeconds(30));
        browser.collect(Duration.ofMillis(500)); // the figures refresh every 250 ms
        JsonNode after = browser.stats();
        List<long[]> frames = new ArrayList<>();
        for (JsonNode f : browser.evaluate("window.framesShown")) {
            frames.add(new long[] {f.get(0).asLong(), Math.round(f.get(1).asDouble()), f.get(2).asLong(), f.get(3).asLong()});
        }
        System.out.printf("%s: %d frames recorded; stats after the switch (load average %s): %s%n", path, frames.size(),
                MachineInfo.loadAverage(), after.toPrettyString());

        assertThat(after.path("videoLayer").asText()).isEqualTo("360p · layer 1 of 2");
        assertThat(after.path("videoLayerSwitches").asInt()).as("switches taken in place").isEqualTo(1);
        assertThat(after.path("videoDecodeErrors").asInt()).isZero();

        int at = switchIndex(frames);
        long[] last = frames.get(at - 1);
        long[] first = frames.get(at);
        System.out.printf("%s: last low-layer frame pts %d shown at %d ms, first top-layer frame pts %d shown at %d ms "
                + "(%d ms later); starts %d → %d%n", path, last[0], last[1], first[0], first[1], first[1] - last[1], last[3], first[3]);
        assertThat(first[3]).as("MediaSources / decoders started by the first top-layer frame shown vs the last low-layer one")
                .isEqualTo(last[3]);
        for (int i = 1; i < frames.size(); i++) {
            assertThat(frames.get(i)[0]).as("frame %d shown after %d: pts advance", i, i - 1).isGreaterThan(frames.get(i - 1)[0]);
        }
        assertThat(first[0] - last[0]).as("media time between the frames shown on either side of the switch, µs")
                .isLessThanOrEqualTo(MAX_FRAMES_ACROSS_SWITCH * FRAME_MICROS + 1_000);
        assertThat(frames.subList(at, frames.size())).as("top-layer frames only after the switch").allMatch(f -> f[2] == 640);
    }

    /** The index of the first frame of the top layer, after frames of the low one only. */
    private static int switchIndex(List<long[]> frames) {
        int at = 0;
        while (at < frames.size() && frames.get(at)[2] == 320) {
            at++;
        }
        assertThat(at).as("low-layer frames recorded before the switch").isPositive();
        assertThat(at).as("a top-layer frame shown").isLessThan(frames.size());
        return at;
    }
}
