package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunnelcast.bench.latency.ChromiumPlayer;
import dev.tunnelcast.bench.latency.LiveStack;
import dev.tunnelcast.server.auth.Action;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
                assertThat(ArchivePage.await(browser, "document.querySelector('.tc-note').textContent", v -> v.asText().contains("token"),
                        Duration.ofSeconds(10)).asText()).contains("needs a play token");
                // Reachable from the stream list ("recordings" per stream) and from the live player; the token goes along.
                String token = stack.token(Action.PLAY, STREAM);
                String query = "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
                browser.open("http://127.0.0.1:" + stack.port() + "/" + query);
                JsonNode link = ArchivePage.await(browser, "[...document.querySelectorAll('.tc-card-recordings')].map(a => a.getAttribute('href'))",
                        v -> v.size() > 0, Duration.ofSeconds(10));
                assertThat(link.get(0).asText()).isEqualTo(query + "#/archive/" + STREAM);
                browser.screenshot(ARTIFACTS.resolve("archive-stream-list.png"));
                browser.click(".tc-card-recordings");
                assertThat(browser.evaluate("location.hash").asText()).isEqualTo("#/archive/" + STREAM);
                JsonNode recordingSpans = ArchivePage.await(browser, "document.querySelectorAll('.tc-span.tc-span-recording').length",
                        v -> v.asInt() > 0, Duration.ofSeconds(10));
                assertThat(recordingSpans.asInt()).as("the segment being recorded, drawn as such").isEqualTo(1);
                browser.open(stack.playerUrl(STREAM, stack.token(Action.PLAY, STREAM), "").toString());
                assertThat(browser.evaluate("document.querySelectorAll('.tc-bar a[href$=\"#/archive/" + STREAM + "\"]').length")
                        .asInt()).as("Recordings link in the live player").isEqualTo(1);

                Thread.sleep(Math.max(0, 6_000 - (System.nanoTime() - publishedAt) / 1_000_000));
                long publishedMicros = (System.nanoTime() - publishedAt) / 1_000;
                stack.stopPublishing(STREAM); // EndOfStream: the segment closes
                JsonNode segment = ArchivePage.awaitClosedSegment(stack.port(), STREAM, token);
                long startMicros = segment.path("startWallMicros").asLong();
                long endMicros = segment.path("endWallMicros").asLong();
                System.out.println("recorded: " + segment);
                assertThat(endMicros - startMicros).as("recorded span, µs (published for %d µs)", publishedMicros)
                        .isBetween(4_000_000L, publishedMicros + 500_000L); // + the frames sent while closing

                browser.open(stack.archiveUrl(STREAM, token).toString());
                assertThat(browser.evaluate("document.querySelector('video').canPlayType('application/vnd.apple.mpegurl')").asText())
                        .as("Chromium plays HLS natively").isNotEmpty();

                ArchivePage.Timeline timeline = ArchivePage.assertShowsOnlySpan(browser, segment);
                assertThat(browser.evaluate("document.querySelectorAll('.tc-tick-label').length").asInt())
                        .as("labelled ticks").isGreaterThan(0);
                JsonNode row = browser.evaluate("[...document.querySelectorAll('.tc-segments tbody tr')].map(r => "
                        + "[r.textContent, r.querySelector('a[download]')?.getAttribute('href')])");
                assertThat(row).hasSize(1);
                assertThat(row.get(0).get(0).asText()).contains("closed")
                        .contains(String.format("0:%02d", Math.round((endMicros - startMicros) / 1e6)));
                assertThat(row.get(0).get(1).asText()).isEqualTo(segment.path("url").asText()
                        + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));

                JsonNode paused = ArchivePage.assertClickPlaysAndShowsTheFramesTime(browser, timeline);
                browser.screenshot(ARTIFACTS.resolve("archive-view.png"));

                ArchivePage.assertClickFurtherSeeks(browser, timeline, paused);
                browser.screenshot(ARTIFACTS.resolve("archive-view-seeked.png"));
            }
        }
    }
}
