package dev.tunnelcast.server;

import static dev.tunnelcast.server.testing.Messages.AUDIO;
import static dev.tunnelcast.server.testing.Messages.VIDEO;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.proto.v1.Status;
import dev.tunnelcast.proto.v1.StatusCode;
import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.WsClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** /api/streams, /healthz, /metrics and the player page. */
class HttpApiTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void streamsHealthMetricsAndPlayerPage() throws Exception {
        try (Relay relay = Relay.start(TestRelays.config().build())) {
            HttpResponse<String> health = TestRelays.get(relay, "/healthz");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("ok\n");
            assertThat(JSON.readTree(TestRelays.get(relay, "/api/streams").body()).get("streams")).isEmpty();

            WsClient publisher = TestRelays.publisher(relay, "cam1");
            WsClient player = TestRelays.player(relay, "cam1");
            publisher.send(Messages.videoConfig(VIDEO));
            publisher.send(Messages.audioConfig(AUDIO));
            // About 1.6 s of 400 kbit/s.
            for (int i = 0; i < 48; i++) {
                publisher.send(Messages.packet(VIDEO, i, i % 30 == 0, 1600));
                Thread.sleep(33);
            }
            for (int i = 0; i < 48; i++) {
                player.nextOf(Envelope.KindCase.MEDIA_PACKET);
            }

            JsonNode streams = JSON.readTree(TestRelays.get(relay, "/api/streams").body()).get("streams");
            assertThat(streams).hasSize(1);
            JsonNode cam = streams.get(0);
            assertThat(cam.get("name").asText()).isEqualTo("cam1");
            assertThat(cam.get("state").asText()).isEqualTo("live");
            assertThat(cam.get("players").asInt()).isEqualTo(1);
            assertThat(cam.get("publisher").get("remoteAddress").asText()).startsWith("127.0.0.1:");
            assertThat(cam.get("publisher").get("uptimeSeconds").asLong()).isBetween(1L, 10L);
            assertThat(cam.get("bitrateInBitsPerSecond").asLong()).isBetween(100_000L, 2_000_000L);
            assertThat(cam.get("bitrateOutBitsPerSecond").asLong()).isBetween(100_000L, 2_000_000L);
            assertThat(cam.get("drops").asLong()).isZero();
            JsonNode video = cam.get("tracks").get(0);
            assertThat(video.get("kind").asText()).isEqualTo("video");
            assertThat(video.get("codec").asText()).isEqualTo("avc1.42E01F");
            assertThat(video.get("width").asInt()).isEqualTo(1280);
            assertThat(video.get("frameRate").asDouble()).isEqualTo(30.0);
            JsonNode audio = cam.get("tracks").get(1);
            assertThat(audio.get("kind").asText()).isEqualTo("audio");
            assertThat(audio.get("sampleRate").asInt()).isEqualTo(48000);
            assertThat(audio.get("channels").asInt()).isEqualTo(2);

            HttpResponse<String> one = TestRelays.get(relay, "/api/streams/cam1");
            assertThat(one.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(one.body()).get("name").asText()).isEqualTo("cam1");
            HttpResponse<String> missing = TestRelays.get(relay, "/api/streams/nope");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(JSON.readTree(missing.body()).get("error").asText()).isEqualTo("no such stream");

            String before = TestRelays.get(relay, "/metrics").body();
            assertThat(before).contains("tunnelcast_connections_open{role=\"player\"} 1")
                    .contains("tunnelcast_connections_open{role=\"publisher\"} 1")
                    .contains("tunnelcast_messages_in_total 50")
                    .contains("tunnelcast_relay_latency_seconds_bucket")
                    .contains("tunnelcast_player_queue_depth")
                    .contains("jvm_memory_used_bytes")
                    .contains("process_cpu_usage")
                    .contains("tunnelcast_refusals_total{code=\"4404\",name=\"invalid_stream\"} 0");
            assertThat(metric(before, "tunnelcast_messages_out_total")).isGreaterThanOrEqualTo(52);
            // The relay's latency histogram tells the 2 keyframes of the 48 packets from the other video.
            assertThat(metric(before, "tunnelcast_relay_latency_seconds_count{kind=\"keyframe\"}")).isEqualTo(2);
            assertThat(metric(before, "tunnelcast_relay_latency_seconds_count{kind=\"video\"}")).isEqualTo(46);
            assertThat(metric(before, "tunnelcast_relay_latency_seconds_count{kind=\"audio\"}")).isZero();

            WsClient bad = WsClient.connect(TestRelays.playUri(relay, "-bad"));
            bad.awaitClose();
            assertThat(TestRelays.get(relay, "/metrics").body())
                    .contains("tunnelcast_refusals_total{code=\"4404\",name=\"invalid_stream\"} 1");

            HttpResponse<String> page = TestRelays.get(relay, "/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
            assertThat(page.headers().firstValue("cache-control")).hasValue("no-cache");
            assertThat(page.body()).containsIgnoringCase("<html");
            assertThat(TestRelays.get(relay, "/no-such-file.js").statusCode()).isEqualTo(404);

            player.close();
            publisher.close();
        }
    }

    /** A player may ask for any name; only a publisher's announcement makes it a stream of the API. */
    @Test
    void aNameThatOnlyPlayersWaitForIsNotListed() throws Exception {
        try (Relay relay = Relay.start(TestRelays.config().build())) {
            WsClient waiting = WsClient.connect(TestRelays.playUri(relay, "nobody"));
            waiting.send(Messages.hello(Role.ROLE_PLAYER));
            waiting.nextOf(Envelope.KindCase.WELCOME);
            Status status = waiting.nextOf(Envelope.KindCase.STATUS).getStatus();
            assertThat(status.getCode()).isEqualTo(StatusCode.STATUS_CODE_STREAM_WAITING);
            assertThat(status.getMessage()).isEqualTo("no stream nobody is live yet: waiting for a publisher");

            assertThat(JSON.readTree(TestRelays.get(relay, "/api/streams").body()).get("streams")).isEmpty();
            assertThat(TestRelays.get(relay, "/api/streams/nobody").statusCode()).isEqualTo(404);

            WsClient publisher = TestRelays.publisher(relay, "nobody");
            waiting.nextMatching(e -> e.getStatus().getCode() == StatusCode.STATUS_CODE_STREAM_ONLINE);
            JsonNode live = JSON.readTree(TestRelays.get(relay, "/api/streams").body()).get("streams");
            assertThat(live).hasSize(1);
            assertThat(live.get(0).get("state").asText()).isEqualTo("live");

            // Announced once, it stays listed (offline) through the grace period.
            publisher.close();
            waiting.nextMatching(e -> e.getStatus().getCode() == StatusCode.STATUS_CODE_STREAM_OFFLINE);
            assertThat(JSON.readTree(TestRelays.get(relay, "/api/streams/nobody").body()).get("state").asText())
                    .isEqualTo("offline");
            waiting.close();
        }
    }

    private static double metric(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.split(" ")[1]))
                .findFirst().orElseThrow(() -> new AssertionError("no metric " + name));
    }
}
