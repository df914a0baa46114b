package dev.tunnelcast.server.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HLS playlist plays in real headless Chromium (its native HLS player), and seeking by time works. */
class ArchivePlaybackChromiumTest {

    private static final String PAGE = """
            <!doctype html><video id="v" muted playsinline></video>
            <script>
            const v = document.getElementById('v');
            window.report = { errors: [], seeked: false };
            v.addEventListener('error', () => report.errors.push(v.error ? v.error.code + ' ' + v.error.message : 'error'));
            v.addEventListener('seeked', () => { report.seeked = true; });
            v.src = '/api/streams/cam1/archive.m3u8';
            v.play().catch(e => report.errors.push('play: ' + e));
            window.state = () => ({ time: v.currentTime, duration: v.duration, width: v.videoWidth,
                frames: v.getVideoPlaybackQuality().totalVideoFrames, errors: report.errors, seeked: report.seeked });
            </script>
            """;

    @TempDir
    Path dir;
    @TempDir
    Path browserHome;

    @Test
    void theArchivePlaysInHeadlessChromiumAndSeeks() throws Exception {
        Archive archive = Archive.start(ArchiveConfig.defaults(dir).withSegmentDuration(Duration.ofSeconds(3)),
                new SimpleMeterRegistry());
        MediaFixture.generate(10, 60).publish(archive.observer(), "cam1", "s1", 1_790_000_000_000_000L); // the agent's 2 s GOP
        archive.close();
        Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1")
                .setHandler(archive.handlers().routes().get("/play.html", exchange -> {
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html");
                    exchange.getResponseSender().send(PAGE);
                })).build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        try (HeadlessChromium chromium = new HeadlessChromium(browserHome, "http://127.0.0.1:" + port + "/play.html")) {
            JsonNode state = awaitState(chromium, "state().time >= 2 || state().errors.length > 0");
            assertThat(state.path("errors")).isEmpty();
            assertThat(state.path("width").asInt()).isEqualTo(320);
            assertThat(state.path("duration").asDouble()).isBetween(9.8, 10.2);

            chromium.evaluate("document.getElementById('v').currentTime = 7.5");
            state = awaitState(chromium, "(state().seeked && state().time >= 8) || state().errors.length > 0");
            assertThat(state.path("errors")).isEmpty();
            assertThat(state.path("time").asDouble()).isBetween(8.0, 10.1);
            assertThat(state.path("frames").asInt()).isGreaterThan(60);
            System.out.println("Chromium after the seek: " + state);
        } finally {
            server.stop();
        }
    }

    private static JsonNode awaitState(HeadlessChromium chromium, String condition) throws Exception {
        long deadline = System.nanoTime() + HeadlessChromium.timeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (chromium.evaluate(condition).asBoolean()) {
                break;
            }
            Thread.sleep(100);
        }
        return chromium.evaluate("state()");
    }
}
