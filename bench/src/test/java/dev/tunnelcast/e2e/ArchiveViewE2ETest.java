package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunnelcast.bench.latency.ChromiumPlayer;
import dev.tunnelcast.bench.latency.LiveStack;
import dev.tunnelcast.server.auth.Action;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The player's archive view in real headless Chromium against a real relay recording a real
 * capture agent: the stream list and the live player link to the archive, which draws the
 * segment being recorded; ~6 s are recorded, the agent stops (the segment closes), the timeline at
 * {@code #/archive/{stream}} shows exactly that span, a click plays it (native HLS in a
 * {@code <video>}), the wall-clock time shown matches the frame shown (the synthetic source's
 * frame stamp), and a click further right seeks. Screenshot: target/e2e/archive-view.png.
 */
@Timeout(value = 90)
class ArchiveViewE2ETest {

    private static final Path WEB_PLAYER = Path.of("..", "web-player").toAbsolutePath().normalize();
    private static final Path ARTIFACTS = Path.of("target", "e2e").toAbsolutePath();
    private static final String STREAM = "cam";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The page's view of playback: the video's playhead and the wall clock the archive view shows. */
    private static final String PLAYBACK = """
            (() => { const v = document.querySelector('video.tc-video'); const c = document.querySelector('.tc-archive-clock');
              return { time: v.currentTime, paused: v.paused, seeking: v.seeking, readyState: v.readyState,
                error: v.error ? v.error.message || String(v.error.code) : null, seeks: window.seeks || 0,
                wallMicros: Number(c.dataset.wallMicros || 'NaN') || null, clock: c.textContent,
                playhead: !document.querySelector('.tc-playhead').hidden,
                message: document.querySelector('.tc-message').hidden ? '' : document.querySelector('.tc-message-text').textContent }; })()
            """;

    /**
     * Reads the frame stamp (web-player/src/stats/frame-stamp.js: 35 blocks at the top left,
     * bits 2..33 = capture time in ms mod 2^32) from the frame the paused video shows.
     */
    private static final String STAMP = """
            (() => { const v = document.querySelector('video.tc-video');
              const b0 = Math.max(8, Math.floor(v.videoWidth / 48)); const b = b0 - (b0 % 2);
              const c = document.createElement('canvas'); c.width = v.videoWidth; c.height = b;
              const g = c.getContext('2d', { willReadFrequently: true }); g.drawImage(v, 0, 0);
              const px = g.getImageData(0, 0, c.width, b).data;
              const bit = (k) => { const at = ((b / 2) * c.width + k * b + b / 2) * 4;
                return 0.299 * px[at] + 0.587 * px[at + 1] + 0.114 * px[at + 2] > 128 ? 1 : 0; };
              if (bit(0) !== 1 || bit(1) !== 0 || bit(34) !== 1) return null;
              let value = 0; for (let k = 2; k < 34; k++) value = value * 2 + bit(k); return value; })()
            """;

    @TempDir
    Path recordDir;

    @Test
    void theTimelineShowsTheRecordedSpanAClickPlaysItAndAnotherSeeks() throws Exception {
        Files.createDirectories(ARTIFACTS);
        try (LiveStack stack = LiveStack.start(new LiveStack.Options(640, 360, 30, 1_000_000, Duration.ofSeconds(3)), recordDir)) {
            stack.publish(STREAM);
            long publishedAt = System.nanoTime();
            try (ChromiumPlayer browser = ChromiumPlayer.launch(WEB_PLAYER, ARTIFACTS.resolve("chromium-archive.log"))) {
                // Without a token the relay lists nothing, and the page says why.
                browser.open("http://127.0.0.1:" + stack.port() + "/");
                assertThat(await(browser, "document.querySelector('.tc-note').textContent", v -> v.asText().contains("token"),
                        Duration.ofSeconds(10)).asText()).contains("needs a play token");
                // Reachable from the stream list ("recordings" per stream) and from the live player; the token goes along.
                String token = stack.token(Action.PLAY, STREAM);
                String query = "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
                browser.open("http://127.0.0.1:" + stack.port() + "/" + query);
                JsonNode link = await(browser, "[...document.querySelectorAll('.tc-card-recordings')].map(a => a.getAttribute('href'))",
                        v -> v.size() > 0, Duration.ofSeconds(10));
                assertThat(link.get(0).asText()).isEqualTo(query + "#/archive/" + STREAM);
                browser.screenshot(ARTIFACTS.resolve("archive-stream-list.png"));
                browser.click(".tc-card-recordings");
                assertThat(browser.evaluate("location.hash").asText()).isEqualTo("#/archive/" + STREAM);
                JsonNode recordingSpans = await(browser, "document.querySelectorAll('.tc-span.tc-span-recording').length",
                        v -> v.asInt() > 0, Duration.ofSeconds(10));
                assertThat(recordingSpans.asInt()).as("the segment being recorded, drawn as such").isEqualTo(1);
                browser.open(stack.playerUrl(STREAM, stack.token(Action.PLAY, STREAM), "").toString());
                assertThat(browser.evaluate("document.querySelectorAll('.tc-bar a[href$=\"#/archive/" + STREAM + "\"]').length")
                        .asInt()).as("Recordings link in the live player").isEqualTo(1);

                Thread.sleep(Math.max(0, 6_000 - (System.nanoTime() - publishedAt) / 1_000_000));
                long publishedMicros = (System.nanoTime() - publishedAt) / 1_000;
                stack.stopPublishing(STREAM); // EndOfStream: the segment closes
                JsonNode segment = awaitClosedSegment(stack.port(), token);
                long startMicros = segment.path("startWallMicros").asLong();
                long endMicros = segment.path("endWallMicros").asLong();
                System.out.println("recorded: " + segment);
                assertThat(endMicros - startMicros).as("recorded span, µs (published for %d µs)", publishedMicros)
                        .isBetween(4_000_000L, publishedMicros + 500_000L); // + the frames sent while closing

                browser.open(stack.archiveUrl(STREAM, token).toString());
                assertThat(browser.evaluate("document.querySelector('video').canPlayType('application/vnd.apple.mpegurl')").asText())
                        .as("Chromium plays HLS natively").isNotEmpty();

                // The timeline shows the one recorded span, exactly where the index says.
                JsonNode spans = await(browser, "[...document.querySelectorAll('.tc-span')].map(s => "
                        + "[Number(s.dataset.startMicros), Number(s.dataset.endMicros), s.getBoundingClientRect().width])",
                        v -> v.size() > 0, Duration.ofSeconds(10));
                assertThat(spans).hasSize(1);
                assertThat(spans.get(0).get(0).asLong()).isEqualTo(startMicros);
                assertThat(spans.get(0).get(1).asLong()).isEqualTo(endMicros);
                assertThat(spans.get(0).get(2).asDouble()).as("span width, px").isGreaterThan(600);
                JsonNode range = browser.evaluate("(() => { const t = document.querySelector('.tc-timeline');"
                        + " return [Number(t.dataset.fromMicros), Number(t.dataset.toMicros)]; })()");
                long fromMicros = range.get(0).asLong();
                long toMicros = range.get(1).asLong();
                assertThat(browser.evaluate("document.querySelectorAll('.tc-tick-label').length").asInt())
                        .as("labelled ticks").isGreaterThan(0);
                JsonNode row = browser.evaluate("[...document.querySelectorAll('.tc-segments tbody tr')].map(r => "
                        + "[r.textContent, r.querySelector('a[download]')?.getAttribute('href')])");
                assertThat(row).hasSize(1);
                assertThat(row.get(0).get(0).asText()).contains("closed")
                        .contains(String.format("0:%02d", Math.round((endMicros - startMicros) / 1e6)));
                assertThat(row.get(0).get(1).asText()).isEqualTo(segment.path("url").asText()
                        + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));

                // Click 0.5 s into the span: it plays from there.
                browser.evaluate("(() => { window.seeks = 0; document.querySelector('video.tc-video')"
                        + ".addEventListener('seeked', () => window.seeks++); return true; })()");
                browser.clickAt(".tc-timeline", fraction(startMicros + 500_000, fromMicros, toMicros));
                JsonNode playing = await(browser, PLAYBACK, v -> v.path("time").asDouble() > 0.6 || !v.path("error").isNull(),
                        Duration.ofSeconds(15));
                assertThat(playing.path("error").isNull()).as("video error: " + playing).isTrue();
                Thread.sleep(1_500);
                JsonNode later = browser.evaluate(PLAYBACK);
                System.out.println("playing: " + playing + " → " + later);
                assertThat(later.path("time").asDouble() - playing.path("time").asDouble())
                        .as("currentTime advances while playing").isGreaterThan(0.7);
                assertThat(later.path("paused").asBoolean()).isFalse();
                assertThat(later.path("playhead").asBoolean()).as("playhead shown").isTrue();
                long shownMicros = later.path("wallMicros").asLong();
                assertThat(shownMicros).as("wall clock shown").isBetween(startMicros + 500_000, endMicros);
                assertThat(later.path("clock").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d");
                browser.screenshot(ARTIFACTS.resolve("archive-view.png"));

                // The wall clock shown is the time of the picture shown: paused, the frame's own
                // stamp (capture time) is a little before its arrival at the relay.
                browser.evaluate("(() => { document.querySelector('video.tc-video').pause(); return true; })()");
                Thread.sleep(300);
                JsonNode paused = browser.evaluate(PLAYBACK);
                JsonNode stamp = browser.evaluate(STAMP);
                assertThat(stamp.isNull()).as("frame stamp readable").isFalse();
                long shownMillisMod = (paused.path("wallMicros").asLong() / 1000) % (1L << 32);
                long stampDiffMs = shownMillisMod - stamp.asLong();
                System.out.printf("paused at %s: shown wall clock − frame stamp = %d ms%n", paused, stampDiffMs);
                assertThat(stampDiffMs).as("shown wall clock − capture stamp of the frame shown, ms").isBetween(-100L, 600L);

                // Click 5 s into the span: it seeks there (far faster than playing through).
                double before = paused.path("time").asDouble();
                int seeksBefore = paused.path("seeks").asInt();
                long clickedAt = System.nanoTime();
                browser.clickAt(".tc-timeline", fraction(startMicros + 5_000_000, fromMicros, toMicros));
                JsonNode seeked = await(browser, PLAYBACK,
                        v -> v.path("seeks").asInt() > seeksBefore && !v.path("seeking").asBoolean(), Duration.ofSeconds(10));
                double tookSeconds = (System.nanoTime() - clickedAt) / 1e9;
                System.out.printf("seeked after %.2f s: %s%n", tookSeconds, seeked);
                assertThat(seeked.path("time").asDouble()).as("position after the seek, s").isBetween(4.9, 6.5);
                assertThat(seeked.path("time").asDouble() - before).as("jump").isGreaterThan(tookSeconds + 1);
                assertThat(seeked.path("wallMicros").asLong()).isBetween(startMicros + 4_900_000, endMicros);
                await(browser, PLAYBACK, v -> v.path("time").asDouble() > seeked.path("time").asDouble() + 0.3
                        || v.path("time").asDouble() >= (endMicros - startMicros) / 1e6 - 0.1, Duration.ofSeconds(5));
                browser.screenshot(ARTIFACTS.resolve("archive-view-seeked.png"));
            }
        }
    }

    private static double fraction(long micros, long fromMicros, long toMicros) {
        return (double) (micros - fromMicros) / (toMicros - fromMicros);
    }

    private static JsonNode await(ChromiumPlayer browser, String expression, Predicate<JsonNode> done, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode value = browser.evaluate(expression);
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + timeout + ": " + expression + " = " + value);
            }
            Thread.sleep(100);
            value = browser.evaluate(expression);
        }
        return value;
    }

    /** Polls the recordings API until the stream's segment is closed. */
    private static JsonNode awaitClosedSegment(int port, String token) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/streams/" + STREAM + "/recordings"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode list = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            list = JSON.readTree(response.body());
            if (list.size() == 1 && !list.get(0).path("state").asText().equals("RECORDING")) {
                return list.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no closed segment within 10 s: " + list);
    }
}
