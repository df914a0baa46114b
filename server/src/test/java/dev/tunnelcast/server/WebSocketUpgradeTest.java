package dev.tunnelcast.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunnelcast.server.testing.RawHandshake;
import dev.tunnelcast.server.testing.TestRelays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP side of the WebSocket upgrade, read off the wire: a foreign web page's upgrade is
 * refused before it (cross-site WebSocket hijacking), the relay's own page and non-browser
 * clients are not, and the 101 does not repeat the request URL with its token.
 */
class WebSocketUpgradeTest {

    static Relay relay;

    @BeforeAll
    static void start() {
        relay = Relay.start(TestRelays.config().build()); // no token secret: the Origin rule is all that stands
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void aForeignOriginIsRefusedWith403BeforeTheUpgradeOnBothPaths() throws Exception {
        for (String path : new String[] {"/ws/publish/cam1", "/ws/play/cam1"}) {
            RawHandshake.Answer answer = RawHandshake.upgrade(relay, path, "Origin: http://evil.example");
            assertThat(answer.status()).as(path).isEqualTo(403);
            assertThat(answer.header("Content-Type")).hasValue("application/json");
            JsonNode body = new ObjectMapper().readTree(answer.body());
            assertThat(body.path("error").asText()).isEqualTo("forbidden");
            assertThat(body.path("reason").asText()).isEqualTo("origin not allowed");
        }
        assertThat(RawHandshake.upgrade(relay, "/ws/play/cam1", "Origin: null").status())
                .as("a sandboxed page").isEqualTo(403);
        assertThat(RawHandshake.upgrade(relay, "/ws/play/cam1", "Origin: http://127.0.0.1:1").status())
                .as("same host, another port").isEqualTo(403);
        assertThat(RawHandshake.upgrade(relay, "/ws/play/cam1", "Origin: https://127.0.0.1:" + relay.port()).status())
                .as("same host and port, another scheme").isEqualTo(403);
        String metrics = TestRelays.get(relay, "/metrics").body();
        assertThat(metrics)
                .contains("tunnelcast_http_refusals_total{reason=\"origin not allowed\",route=\"/ws/publish/{stream}\",status=\"403\"} 1.0")
                .contains("tunnelcast_http_refusals_total{reason=\"origin not allowed\",route=\"/ws/play/{stream}\",status=\"403\"} 4.0");
    }

    @Test
    void theRelaysOwnPageAndClientsWithoutOriginAreUpgraded() {
        String own = "http://127.0.0.1:" + relay.port();
        assertThat(RawHandshake.upgrade(relay, "/ws/play/own", "Origin: " + own).status()).isEqualTo(101);
        assertThat(RawHandshake.upgrade(relay, "/ws/publish/own", "Origin: " + own.toUpperCase()).status()).isEqualTo(101);
        assertThat(RawHandshake.upgrade(relay, "/ws/play/agent").status()).isEqualTo(101);
    }

    @Test
    void the101DoesNotEchoTheRequestUrlAndItsToken() {
        String token = "t".repeat(100_000);
        RawHandshake.Answer answer = RawHandshake.upgrade(relay, "/ws/play/cam1?token=" + token);
        assertThat(answer.status()).isEqualTo(101);
        assertThat(answer.headers().keySet()).doesNotContain("sec-websocket-location");
        assertThat(answer.headers().values().stream().flatMap(List::stream).filter(v -> v.contains("tttttttt")).count())
                .as("headers repeating the token").isZero();
        assertThat(answer.header("Sec-WebSocket-Accept")).hasValue("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }
}
