package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunnelcast.bench.latency.ChromiumPlayer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * What the archive view's end-to-end tests read of the page and of the relay, in any engine: the
 * video's playhead and the wall clock shown, the frame stamp of the picture shown, the recorded
 * spans on the timeline, and the recordings API's closed segment.
 */
final class ArchivePage {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The page's view of playback: the video's playhead and the wall clock the archive view shows. */
    static final String PLAYBACK = """
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
    static final String STAMP = """
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

    /** Every span on the timeline: [startMicros, endMicros, width in px]. */
    static final String SPANS = "[...document.querySelectorAll('.tc-span')].map(s => "
            + "[Number(s.dataset.startMicros), Number(s.dataset.endMicros), s.getBoundingClientRect().width])";

    /** The timeline's range: [fromMicros, toMicros]. */
    static final String RANGE = "(() => { const t = document.querySelector('.tc-timeline');"
            + " return [Number(t.dataset.fromMicros), Number(t.dataset.toMicros)]; })()";

    /** Counts the video's completed seeks in {@code window.seeks} (read by {@link #PLAYBACK}). */
    static final String COUNT_SEEKS = "(() => { window.seeks = 0; document.querySelector('video.tc-video')"
            + ".addEventListener('seeked', () => window.seeks++); return true; })()";

    private ArchivePage() {
    }

    /** Where {@code micros} lies on the timeline, as a fraction of its width. */
    static double fraction(long micros, long fromMicros, long toMicros) {
        return (double) (micros - fromMicros) / (toMicros - fromMicros);
    }

    /** Polls {@code expression} in the page until {@code done} holds; fails after {@code timeout}. */
    static JsonNode await(ChromiumPlayer browser, String expression, Predicate<JsonNode> done, Duration timeout)
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

    /** A closed segment's span, and the timeline's range it is drawn in, as the page shows them. */
    record Timeline(long startMicros, long endMicros, long fromMicros, long toMicros) {
        double at(long micros) {
            return fraction(micros, fromMicros, toMicros);
        }
    }

    /** The timeline of the opened archive page shows the one recorded span, exactly where the index says. */
    static Timeline assertShowsOnlySpan(ChromiumPlayer browser, JsonNode segment) throws InterruptedException {
        long startMicros = segment.path("startWallMicros").asLong();
        long endMicros = segment.path("endWallMicros").asLong();
        JsonNode spans = await(browser, SPANS, v -> v.size() > 0, Duration.ofSeconds(10));
        assertThat(spans).hasSize(1);
        assertThat(spans.get(0).get(0).asLong()).isEqualTo(startMicros);
        assertThat(spans.get(0).get(1).asLong()).isEqualTo(endMicros);
        assertThat(spans.get(0).get(2).asDouble()).as("span width, px").isGreaterThan(600);
        JsonNode range = browser.evaluate(RANGE);
        return new Timeline(startMicros, endMicros, range.get(0).asLong(), range.get(1).asLong());
    }

    /**
     * A click 0.5 s into the span plays it: the playhead advances by a second, the wall clock
     * shown lies in the span, and, paused, it is the time of the picture shown (the frame's own stamp, its
     * capture time, is a little before its arrival at the relay). Leaves the video paused.
     *
     * @return the paused video's {@link #PLAYBACK}
     */
    static JsonNode assertClickPlaysAndShowsTheFramesTime(ChromiumPlayer browser, Timeline timeline) throws InterruptedException {
        browser.evaluate(COUNT_SEEKS);
        browser.clickAt(".tc-timeline", timeline.at(timeline.startMicros() + 500_000));
        JsonNode playing = await(browser, PLAYBACK, v -> v.path("time").asDouble() > 0.6 || !v.path("error").isNull(),
                Duration.ofSeconds(15));
        assertThat(playing.path("error").isNull()).as("video error: " + playing).isTrue();
        // Advancing, not at what rate: at a load average of 10, Firefox held its playhead at 0.6 s
        // for 1.5 s after it had started, and WebKit played 0.6 s in those 1.5 s.
        long playingAt = System.nanoTime();
        double from = playing.path("time").asDouble();
        JsonNode later = await(browser, PLAYBACK, v -> v.path("time").asDouble() > from + 1.0 || !v.path("error").isNull(),
                Duration.ofSeconds(15));
        System.out.printf("playing: %s → %s after %d ms%n", playing, later, (System.nanoTime() - playingAt) / 1_000_000);
        assertThat(later.path("error").isNull()).as("video error: " + later).isTrue();
        assertThat(later.path("paused").asBoolean()).isFalse();
        assertThat(later.path("playhead").asBoolean()).as("playhead shown").isTrue();
        assertThat(later.path("wallMicros").asLong()).as("wall clock shown")
                .isBetween(timeline.startMicros() + 500_000, timeline.endMicros());
        assertThat(later.path("clock").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d");

        browser.evaluate("(() => { document.querySelector('video.tc-video').pause(); return true; })()");
        Thread.sleep(300);
        JsonNode paused = browser.evaluate(PLAYBACK);
        JsonNode stamp = browser.evaluate(STAMP);
        assertThat(stamp.isNull()).as("frame stamp readable").isFalse();
        long shownMillisMod = (paused.path("wallMicros").asLong() / 1000) % (1L << 32);
        long stampDiffMs = shownMillisMod - stamp.asLong();
        System.out.printf("paused at %s: shown wall clock − frame stamp = %d ms%n", paused, stampDiffMs);
        assertThat(stampDiffMs).as("shown wall clock − capture stamp of the frame shown, ms").isBetween(-100L, 600L);
        return paused;
    }

    /** From {@code paused} ({@link #PLAYBACK}), a click 5 s into the span seeks there, far faster than playing through. */
    static void assertClickFurtherSeeks(ChromiumPlayer browser, Timeline timeline, JsonNode paused) throws InterruptedException {
        double before = paused.path("time").asDouble();
        int seeksBefore = paused.path("seeks").asInt();
        long clickedAt = System.nanoTime();
        browser.clickAt(".tc-timeline", timeline.at(timeline.startMicros() + 5_000_000));
        JsonNode seeked = await(browser, PLAYBACK,
                v -> v.path("seeks").asInt() > seeksBefore && !v.path("seeking").asBoolean(), Duration.ofSeconds(10));
        double tookSeconds = (System.nanoTime() - clickedAt) / 1e9;
        System.out.printf("seeked after %.2f s: %s%n", tookSeconds, seeked);
        assertThat(seeked.path("time").asDouble()).as("position after the seek, s").isBetween(4.9, 6.5);
        assertThat(seeked.path("time").asDouble() - before).as("jump").isGreaterThan(tookSeconds + 1);
        assertThat(seeked.path("wallMicros").asLong()).isBetween(timeline.startMicros() + 4_900_000, timeline.endMicros());
        await(browser, PLAYBACK, v -> v.path("time").asDouble() > seeked.path("time").asDouble() + 0.3
                || v.path("time").asDouble() >= (timeline.endMicros() - timeline.startMicros()) / 1e6 - 0.1, Duration.ofSeconds(5));
    }

    /** Polls the recordings API until the stream's one segment is closed. */
    static JsonNode awaitClosedSegment(int port, String stream, String token) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/streams/" + stream + "/recordings"))
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
