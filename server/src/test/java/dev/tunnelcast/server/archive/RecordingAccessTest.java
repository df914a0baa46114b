package dev.tunnelcast.server.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunnelcast.server.Relay;
import dev.tunnelcast.server.auth.Action;
import dev.tunnelcast.server.auth.TokenAuthority;
import dev.tunnelcast.server.testing.TestRelays;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recordings' access rules on a real relay: with a token secret the list, downloads
 * (GET and HEAD), the HLS playlist and the media it lists need a play token for the stream;
 * the playlist carries the token on to its media URIs, so that ffprobe (an HLS client that
 * sets no headers) plays it. Without a secret they are open.
 */
class RecordingAccessTest {

    private static final String SECRET = "recording-secret-0123456789";
    private static final TokenAuthority TOKENS = new TokenAuthority(SECRET);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static List<SegmentInfo> segments;

    @BeforeAll
    static void record() throws Exception {
        Archive archive = Archive.start(ArchiveConfig.defaults(dir).withSegmentDuration(Duration.ofSeconds(2)), new SimpleMeterRegistry());
        MediaFixture.generate(4, 30).publish(archive.observer(), "cam1", "s1", 1_790_000_000_000_000L);
        archive.close();
        segments = archive.index().all();
        assertThat(segments).hasSizeGreaterThan(1);
    }

    static String token(String stream) {
        return TOKENS.mint(Action.PLAY, stream, Instant.now().plusSeconds(600));
    }

    @Test
    void withASecretEveryRecordingRouteNeedsAPlayTokenForTheStream() throws Exception {
        try (Relay relay = Relay.start(TestRelays.config().tokenSecret(SECRET).archive(ArchiveConfig.defaults(dir)).build())) {
            String id = segments.get(0).id();
            for (String path : List.of("/api/streams/cam1/recordings", "/api/streams/cam1/recordings/" + id,
                    "/api/streams/cam1/recordings/" + id + ".mp4", "/api/streams/cam1/archive.m3u8")) {
                URI uri = relay.baseUri().resolve(path);
                HttpResponse<String> missing = TestRelays.get(uri);
                assertThat(missing.statusCode()).as(path).isEqualTo(401);
                assertThat(JSON.readTree(missing.body()).path("reason").asText()).isEqualTo("token missing");
                HttpResponse<String> other = TestRelays.get(URI.create(uri + "?token=" + token("cam2")));
                assertThat(other.statusCode()).as(path).isEqualTo(403);
                assertThat(JSON.readTree(other.body()).path("reason").asText()).isEqualTo("token is for another stream");
                assertThat(TestRelays.get(URI.create(uri + "?token=" + token("cam1"))).statusCode()).as(path).isEqualTo(200);
                assertThat(TestRelays.get(uri, "Authorization", "Bearer " + token("*")).statusCode()).as(path).isEqualTo(200);
            }
            URI download = relay.baseUri().resolve("/api/streams/cam1/recordings/" + id);
            assertThat(TestRelays.send(download, "HEAD").statusCode()).isEqualTo(401);
            assertThat(TestRelays.send(download, "HEAD", "Authorization", "Bearer " + token("cam1")).statusCode()).isEqualTo(200);

            // the path's stream is the one checked and the one served, whatever the query says
            HttpResponse<String> smuggled = TestRelays.get(relay.baseUri().resolve(
                    "/api/streams/other/recordings?stream=cam1&token=" + token("other")));
            assertThat(smuggled.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(smuggled.body())).isEmpty();
            assertThat(TestRelays.get(relay.baseUri().resolve("/api/streams/other/recordings/" + id
                    + "?stream=cam1&token=" + token("other"))).statusCode()).isEqualTo(404);

            String token = token("cam1");
            String playlistUrl = relay.baseUri() + "/api/streams/cam1/archive.m3u8?token=" + token;
            String playlist = TestRelays.get(URI.create(playlistUrl)).body();
            List<String> uris = playlist.lines().filter(l -> !l.startsWith("#")).toList();
            assertThat(uris).isNotEmpty().allSatisfy(u -> assertThat(u).endsWith(".mp4?token=" + token));
            assertThat(playlist.lines().filter(l -> l.startsWith("#EXT-X-MAP:")))
                    .allSatisfy(l -> assertThat(l).contains(".mp4?token=" + token + "\""));
            Tools.Probe hls = Tools.ffprobe(playlistUrl);
            assertThat((long) hls.stream("video").ptsSeconds().size())
                    .isEqualTo(segments.stream().mapToLong(SegmentInfo::videoFrames).sum());
        }
    }

    @Test
    void withoutASecretRecordingsAreOpen() throws Exception {
        try (Relay relay = Relay.start(TestRelays.config().archive(ArchiveConfig.defaults(dir)).build())) {
            JsonNode list = JSON.readTree(TestRelays.get(relay, "/api/streams/cam1/recordings").body());
            assertThat(list).hasSize(segments.size());
            assertThat(TestRelays.get(relay, list.get(0).path("url").asText()).statusCode()).isEqualTo(200);
            HttpResponse<String> playlist = TestRelays.get(relay, "/api/streams/cam1/archive.m3u8");
            assertThat(playlist.statusCode()).isEqualTo(200);
            assertThat(playlist.body()).doesNotContain("token=");
        }
    }
}
