package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunnelcast.agent.encode.LayerSpec;
import dev.tunnelcast.bench.harness.MachineInfo;
import dev.tunnelcast.bench.impair.ImpairmentProxy;
import dev.tunnelcast.bench.impair.LinkProfile;
import dev.tunnelcast.bench.latency.ChromiumPlayer;
import dev.tunnelcast.bench.latency.ChromiumTab;
import dev.tunnelcast.bench.latency.LiveStack;
import dev.tunnelcast.server.access.AccessConfig;
import dev.tunnelcast.server.auth.Action;
import dev.tunnelcast.server.relay.LayerSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Simulcast behind a capped downlink, in real headless Chromium against a real relay and a real
 * agent publishing {@code 960x540@2500k,640x360@700k,320x180@200k}: two players of the stream,
 * one on an open link and one whose page and socket go through the impairment proxy. With the
 * proxy's relay→player direction capped at 1 Mbit/s, the capped player is moved down to the
 * 360p layer (700k fits, 2.5 Mbit/s does not) in place, with no decode error, and settles there
 * with frames going on, while the open-link player stays on the top layer; when the cap lifts,
 * the relay's next probe takes it back up.
 *
 * <p>The relay's probe wait is capped at 8 s here ({@code --layer-probe-max}; the default is
 * 60 s): a failed probe doubles the wait, and with the default a link that has failed a few
 * probes waits up to a minute before trying again, so "back up within 10 s of the cap lifting"
 * holds only with a short maximum. How long each step took is printed, not bounded: this test
 * checks behaviour on a busy 2-core machine.
 */
@Timeout(value = 240)
class SimulcastCapE2ETest {

    private static final Path WEB_PLAYER = Path.of("..", "web-player").toAbsolutePath().normalize();
    private static final Path ARTIFACTS = Path.of("target", "e2e").toAbsolutePath();
    private static final String STREAM = "capped";
    private static final List<LayerSpec> LAYERS = LayerSpec.parseList("960x540@2500k,640x360@700k,320x180@200k");
    private static final long CAP_BPS = 1_000_000;
    private static final String SCRAPE = "simulcast-cap-scrape";
    /** How long the capped player is watched once on the 360p layer. */
    private static final Duration SETTLED = Duration.ofSeconds(12);
    /** The longest the picture of the capped player may stand still while it is settled: a stall, not a slow frame. */
    private static final long STALL_MILLIS = 1_000;
    /** Records the display time of each frame the page shows, and the layer's width. */
    private static final String RECORD_FRAMES = """
            (() => {
              const p = window.tunnelcast.player;
              const shown = [];
              window.framesShown = shown;
              const original = p.frameShown.bind(p);
              p.frameShown = (f) => { shown.push([f.displayPerfMs, f.width]); original(f); };
              return true;
            })()""";

    @Test
    void aCappedPlayerSettlesOnTheLayerItsLinkCarriesAndClimbsBackWhenTheCapLifts() throws Exception {
        Files.createDirectories(ARTIFACTS);
        LayerSettings layers = LayerSettings.DEFAULTS.withMaxProbeAfter(Duration.ofSeconds(8));
        try (LiveStack stack = LiveStack.start(new LiveStack.Options(960, 540, 30, 2_500_000, Duration.ofSeconds(3)), null,
                relay -> relay.layers(layers).access(AccessConfig.defaults().withMetricsToken(SCRAPE)))) {
            stack.publishLayers(STREAM, LAYERS);
            try (ImpairmentProxy link = ImpairmentProxy.start(stack.port(), LinkProfile.clean(), LinkProfile.clean());
                 ChromiumPlayer browser = ChromiumPlayer.launch(WEB_PLAYER, ARTIFACTS.resolve("chromium-simulcast-cap.log"))) {
                URI url = stack.playerUrl(STREAM, stack.token(Action.PLAY, STREAM), "");
                ChromiumTab open = browser.tab("open");
                ChromiumTab capped = browser.tab("capped");
                open.open(url.toString());
                // The capped page comes through the proxy, its socket too (the page's own origin).
                capped.open(url.toString().replace(":" + stack.port() + "/", ":" + link.port() + "/"));
                for (ChromiumTab tab : List.of(open, capped)) {
                    tab.waitUntil("window.tunnelcast?.stats?.state === 'playing' && window.tunnelcast.stats.videoLayer.startsWith('540p')"
                            + " && window.tunnelcast.stats.framesShown >= 30", Duration.ofSeconds(60));
                }
                capped.evaluate(RECORD_FRAMES);

                link.setProfile(ImpairmentProxy.Direction.DOWNSTREAM, LinkProfile.clean().withCap(CAP_BPS));
                long cappedAt = System.nanoTime();
                capped.waitUntil("window.tunnelcast.stats.videoLayer.startsWith('360p')", Duration.ofSeconds(30));
                long downMillis = millisSince(cappedAt);
                double settledFromMs = capped.evaluate("performance.now()").asDouble();
                List<String> cappedLayers = new ArrayList<>();
                List<String> openLayers = new ArrayList<>();
                for (long end = System.nanoTime() + SETTLED.toNanos(); System.nanoTime() < end; ) {
                    Thread.sleep(500);
                    cappedLayers.add(capped.stats().path("videoLayer").asText());
                    openLayers.add(open.stats().path("videoLayer").asText());
                }
                JsonNode settled = capped.stats();
                System.out.println("SimulcastCapE2ETest stream while capped: "
                        + get(stack, "/api/streams/" + STREAM, stack.token(Action.PLAY, STREAM)));
                // From the first 360p frame shown: the switch itself (the old layer's backlog draining, then the
                // new layer's config and keyframe) is SimulcastSwitchE2ETest's to judge, on a link without a cap.
                JsonNode shown = capped.evaluate("(() => { const f = window.framesShown.filter((x) => x[0] >= " + settledFromMs + ");"
                        + " const first = f.findIndex((x) => x[1] === 640); return (first < 0 ? [] : f.slice(first)).map((x) => x[0]); })()");

                link.setProfile(ImpairmentProxy.Direction.DOWNSTREAM, LinkProfile.clean());
                long liftedAt = System.nanoTime();
                capped.waitUntil("window.tunnelcast.stats.videoLayer.startsWith('540p')", Duration.ofSeconds(30));
                long upMillis = millisSince(liftedAt);
                // The renderer counts the switch when it takes the new layer's config, at its first frame.
                capped.waitUntil("window.tunnelcast.stats.videoLayerSwitches >= 2", Duration.ofSeconds(10));
                JsonNode after = capped.stats();
                String metrics = get(stack, "/metrics", SCRAPE);
                long longestStill = longestStillMillis(shown);
                System.out.printf("SimulcastCapE2ETest (load average %s): capped at 1 Mbit/s -> 360p after %d ms; settled %s: capped"
                        + " %s, open %s, picture still at most %d ms (from %.0f ms into it); cap lifted -> 540p after %d ms;"
                        + " probes: %s; capped player's stats: %s%n", MachineInfo.loadAverage(), downMillis, SETTLED, cappedLayers,
                        openLayers, longestStill, longestStill(shown)[1], upMillis,
                        metrics.lines().filter(l -> l.startsWith("tunnelcast_layer_probes_total")).toList(), after.toPrettyString());

                assertThat(share(cappedLayers, "360p")).as("share of the settled time the capped player was on 360p: %s", cappedLayers)
                        .isGreaterThanOrEqualTo(0.6);
                assertThat(cappedLayers).as("never further down than the link needs").noneMatch(l -> l.startsWith("180p"));
                assertThat(share(openLayers, "540p")).as("the open-link player stays on the top layer: %s", openLayers)
                        .isGreaterThanOrEqualTo(0.9);
                assertThat(settled.path("state").asText()).isEqualTo("playing");
                assertThat(longestStill).as("the longest the capped player's picture stood still while settled, ms")
                        .isLessThanOrEqualTo(STALL_MILLIS);
                assertThat(after.path("videoDecodeErrors").asInt()).as("decode errors across the switches").isZero();
                assertThat(after.path("videoLayerSwitches").asInt()).as("down, then up (and any failed probe's up and down)")
                        .isGreaterThanOrEqualTo(2);
                assertThat(after.path("reconnects").asInt()).isZero();
                assertThat(metrics).as("the climb back came through a padding probe the link carried")
                        .containsPattern("tunnelcast_layer_probes_total\\{result=\"carried\",stream=\"" + STREAM + "\"} [1-9]");
            }
        }
    }

    private static String get(LiveStack stack, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.port() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static double share(List<String> layers, String prefix) {
        return layers.isEmpty() ? 0 : (double) layers.stream().filter(l -> l.startsWith(prefix)).count() / layers.size();
    }

    /** The longest gap between consecutive display times, ms. */
    private static long longestStillMillis(JsonNode displayTimes) {
        return Math.round(longestStill(displayTimes)[0]);
    }

    /** The longest gap between consecutive display times and when it began, ms after the first. */
    private static double[] longestStill(JsonNode displayTimes) {
        assertThat(displayTimes.size()).as("frames shown while settled").isGreaterThan(1);
        double longest = 0;
        double at = 0;
        for (int i = 1; i < displayTimes.size(); i++) {
            double gap = displayTimes.get(i).asDouble() - displayTimes.get(i - 1).asDouble();
            if (gap > longest) {
                longest = gap;
                at = displayTimes.get(i - 1).asDouble() - displayTimes.get(0).asDouble();
            }
        }
        return new double[] {longest, at};
    }
}
