package dev.tunnelcast.server.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive API on a real Undertow server, read with a real HTTP client and ffprobe. */
class ArchiveHandlersTest {

    private static final long WALL_START_MICROS = 1_790_000_000_000_000L;

    @TempDir
    static Path dir;
    static Archive archive;
    static Undertow server;
    static String base;
    static List<SegmentInfo> segments;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void recordAndServe() throws Exception {
        archive = Archive.start(ArchiveConfig.defaults(dir).withSegmentDuration(Duration.ofSeconds(3)), new SimpleMeterRegistry());
        MediaFixture.generate(10, 30).publish(archive.observer(), "cam1", "s1", WALL_START_MICROS);
        archive.close();
        segments = archive.index().all();
        server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(archive.handlers().routes()).build();
        server.start();
        base = "http://127.0.0.1:" + ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void listsTheSegmentsOverlappingATimeRange() throws Exception {
        assertThat(segments).hasSize(4);
        HttpResponse<byte[]> all = get("/api/streams/cam1/recordings");
        assertThat(all.statusCode()).isEqualTo(200);
        JsonNode list = new ObjectMapper().readTree(all.body());
        assertThat(list).hasSize(4);
        assertThat(list.get(0).path("id").asText()).isEqualTo(segments.get(0).id());
        assertThat(list.get(0).path("state").asText()).isEqualTo("CLOSED");
        assertThat(list.get(0).path("url").asText()).isEqualTo("/api/streams/cam1/recordings/" + segments.get(0).id());

        long from = segments.get(1).startWallMicros() / 1000 + 100;
        String to = Instant.ofEpochSecond(0, (segments.get(2).startWallMicros() + 100_000) * 1000).toString();
        JsonNode some = new ObjectMapper().readTree(get("/api/streams/cam1/recordings?from=" + from + "&to=" + to).body());
        assertThat(some).extracting(n -> n.path("id").asText())
                .containsExactly(segments.get(1).id(), segments.get(2).id());

        assertThat(get("/api/streams/cam1/recordings?from=yesterday").statusCode()).isEqualTo(400);
        assertThat(new ObjectMapper().readTree(get("/api/streams/nobody/recordings").body())).isEmpty();
    }

    @Test
    void downloadsAWholeSegmentOrAByteRange() throws Exception {
        SegmentInfo segment = segments.get(0);
        byte[] file = Files.readAllBytes(archive.index().mediaFile(segment));
        HttpResponse<byte[]> whole = get("/api/streams/cam1/recordings/" + segment.id());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(whole.body()).isEqualTo(file);

        HttpResponse<byte[]> range = get("/api/streams/cam1/recordings/" + segment.id() + ".mp4", "Range", "bytes=1000-1999");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/" + file.length);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(file, 1000, 2000));

        assertThat(get("/api/streams/cam1/recordings/20990101T000000000Z").statusCode()).isEqualTo(404);
        assertThat(get("/api/streams/cam1/recordings/..%2F..%2Fetc%2Fpasswd").statusCode()).isEqualTo(404);
        assertThat(get("/api/streams/.hidden/recordings/" + segment.id()).statusCode()).isEqualTo(400);
    }

    @Test
    void downloadsCarryAStrongEtagForConditionalAndRangeRequests() throws Exception {
        SegmentInfo segment = segments.get(0);
        String url = "/api/streams/cam1/recordings/" + segment.id();
        byte[] file = Files.readAllBytes(archive.index().mediaFile(segment));
        HttpResponse<byte[]> whole = get(url);
        String etag = whole.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).startsWith("\"").endsWith("\""); // strong: usable with If-Range
        assertThat(whole.headers().firstValue("Last-Modified")).isPresent();
        assertThat(get(url + ".mp4").headers().firstValue("ETag")).hasValue(etag);
        HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(URI.create(base + url))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.headers().firstValue("ETag")).hasValue(etag);
        assertThat(get("/api/streams/cam1/recordings/" + segments.get(1).id()).headers().firstValue("ETag"))
                .isPresent().get().isNotEqualTo(etag);

        HttpResponse<byte[]> unchanged = get(url, "If-None-Match", etag);
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(unchanged.headers().firstValue("ETag")).hasValue(etag);
        assertThat(get(url, "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);

        HttpResponse<byte[]> sameFile = get(url, "Range", "bytes=100-199", "If-Range", etag);
        assertThat(sameFile.statusCode()).isEqualTo(206);
        assertThat(sameFile.body()).isEqualTo(Arrays.copyOfRange(file, 100, 200));
        HttpResponse<byte[]> changedFile = get(url, "Range", "bytes=100-199", "If-Range", "\"0-0\"");
        assertThat(changedFile.statusCode()).isEqualTo(200);
        assertThat(changedFile.body()).isEqualTo(file);
        assertThat(get(url, "Range", "bytes=100-199", "If-Range", "W/" + etag).statusCode()).isEqualTo(200); // weak never matches
    }

    @Test
    void theHlsPlaylistOfATimeRangeIsReadByFfprobe() throws Exception {
        HttpResponse<byte[]> playlist = get("/api/streams/cam1/archive.m3u8");
        assertThat(playlist.statusCode()).isEqualTo(200);
        assertThat(playlist.headers().firstValue("Content-Type")).hasValue("application/vnd.apple.mpegurl");
        String text = new String(playlist.body());
        assertThat(text).startsWith("#EXTM3U").contains("#EXT-X-PLAYLIST-TYPE:VOD").endsWith("#EXT-X-ENDLIST\n");
        assertThat(text.lines().filter(l -> l.startsWith("#EXT-X-MAP:"))).hasSize(4);
        assertThat(text.lines().filter(l -> l.startsWith("#EXT-X-DISCONTINUITY"))).hasSize(3);
        double listed = text.lines().filter(l -> l.startsWith("#EXTINF:"))
                .mapToDouble(l -> Double.parseDouble(l.substring(8, l.length() - 1))).sum();
        assertThat(listed).isBetween(9.9, 10.1);

        Tools.Probe probe = Tools.ffprobe(base + "/api/streams/cam1/archive.m3u8");
        long recordedVideo = segments.stream().mapToLong(SegmentInfo::videoFrames).sum();
        long recordedAudio = segments.stream().mapToLong(SegmentInfo::audioFrames).sum();
        assertThat((long) probe.stream("video").ptsSeconds().size()).isEqualTo(recordedVideo);
        assertThat((long) probe.stream("audio").ptsSeconds().size()).isEqualTo(recordedAudio);

        // a time range selects only the segments it overlaps
        long from = segments.get(3).startWallMicros() / 1000 + 50; // past the audio tail of the previous one
        String partial = new String(get("/api/streams/cam1/archive.m3u8?from=" + from).body());
        assertThat(partial.lines().filter(l -> l.startsWith("#EXT-X-MAP:"))).hasSize(1);
        assertThat(get("/api/streams/nobody/archive.m3u8").statusCode()).isEqualTo(404);
    }
}
