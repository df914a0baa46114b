package dev.tunnelcast.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.server.Relay;
import dev.tunnelcast.server.auth.Action;
import dev.tunnelcast.server.auth.TokenAuthority;
import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.WsClient;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/streams} and {@code /api/streams/{stream}} with a token secret: a play token is
 * needed (header or query), the list shows what the token may see, refusals are 401/403 with
 * a JSON body and counted; the open routes stay open.
 */
class StreamApiAccessTest {

    static final String SECRET = "access-secret-0123456789";
    static final TokenAuthority TOKENS = new TokenAuthority(SECRET);
    static final ObjectMapper JSON = new ObjectMapper();
    static Relay relay;
    static List<WsClient> publishers;

    @BeforeAll
    static void start() {
        relay = Relay.start(TestRelays.config().tokenSecret(SECRET).build());
        publishers = List.of(publish("cam1"), publish("cam2"));
    }

    @AfterAll
    static void stop() {
        publishers.forEach(WsClient::close);
        relay.close();
    }

    static WsClient publish(String stream) {
        WsClient client = WsClient.connect(URI.create(TestRelays.publishUri(relay, stream) + "?token=" + token(Action.PUBLISH, stream)));
        client.send(Messages.hello(Role.ROLE_PUBLISHER));
        client.next();
        client.send(Messages.audioConfig(Messages.AUDIO));
        return client;
    }

    static String token(Action action, String stream) {
        return TOKENS.mint(action, stream, Instant.now().plusSeconds(600));
    }

    static HttpResponse<String> get(String pathAndQuery, String... headers) {
        return TestRelays.get(relay.baseUri().resolve(pathAndQuery), headers);
    }

    static void assertRefused(HttpResponse<String> response, int status, String reason) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("error").asText()).isEqualTo(status == 401 ? "unauthorized" : "forbidden");
        assertThat(body.path("reason").asText()).isEqualTo(reason);
        if (status == 401) {
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        }
    }

    static List<String> names(HttpResponse<String> list) throws Exception {
        assertThat(list.statusCode()).isEqualTo(200);
        return JSON.readTree(list.body()).path("streams").findValuesAsText("name");
    }

    @Test
    void theStreamListNeedsAPlayTokenAndShowsWhatItMaySee() throws Exception {
        assertRefused(get("/api/streams"), 401, "token missing");
        assertRefused(get("/api/streams?token=garbage"), 401, "token malformed");
        assertRefused(get("/api/streams", "Authorization", "Bearer " + new TokenAuthority("other-secret").mint(
                Action.PLAY, "*", Instant.now().plusSeconds(60))), 401, "token signature invalid");
        assertRefused(get("/api/streams?token=" + TOKENS.mint(Action.PLAY, "*", Instant.now().minusSeconds(1))), 401, "token expired");
        assertRefused(get("/api/streams?token=" + token(Action.PUBLISH, "cam1")), 403, "token is for action publish");

        assertThat(names(get("/api/streams?token=" + token(Action.PLAY, "cam1")))).containsExactly("cam1");
        assertThat(names(get("/api/streams", "Authorization", "Bearer " + token(Action.PLAY, "cam2")))).containsExactly("cam2");
        assertThat(names(get("/api/streams?token=" + token(Action.PLAY, "*")))).containsExactlyInAnyOrder("cam1", "cam2");
    }

    @Test
    void oneStreamNeedsAPlayTokenForIt() throws Exception {
        assertRefused(get("/api/streams/cam1"), 401, "token missing");
        assertRefused(get("/api/streams/cam1?token=" + token(Action.PLAY, "cam2")), 403, "token is for another stream");
        assertRefused(get("/api/streams/cam1", "Authorization", "Bearer " + token(Action.PUBLISH, "cam1")), 403,
                "token is for action publish");
        // the token is checked before the stream is looked up: no way to learn which names exist
        assertRefused(get("/api/streams/nosuch?token=" + token(Action.PLAY, "cam1")), 403, "token is for another stream");

        HttpResponse<String> byQuery = get("/api/streams/cam1?token=" + token(Action.PLAY, "cam1"));
        assertThat(byQuery.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(byQuery.body()).path("name").asText()).isEqualTo("cam1");
        assertThat(get("/api/streams/cam1", "Authorization", "Bearer " + token(Action.PLAY, "*")).statusCode()).isEqualTo(200);
        assertThat(get("/api/streams/nosuch", "Authorization", "bearer " + token(Action.PLAY, "*")).statusCode()).isEqualTo(404);
    }

    @Test
    void refusalsAreCountedByRouteStatusAndReason() {
        AccessRefusals counts = new AccessRefusals(relay.meterRegistry());
        double before = counts.count("/api/streams/{stream}", 401, "token missing");
        get("/api/streams/cam2");
        get("/api/streams/cam2");
        assertThat(counts.count("/api/streams/{stream}", 401, "token missing")).isEqualTo(before + 2);
    }

    @Test
    void thePageAndHealthStayOpen() {
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void withoutASecretEverythingIsOpen() throws Exception {
        try (Relay open = Relay.start(TestRelays.config().build());
             WsClient publisher = TestRelays.publisher(open, "cam9")) {
            assertThat(JSON.readTree(TestRelays.get(open, "/api/streams").body()).path("streams").findValuesAsText("name"))
                    .containsExactly("cam9");
            assertThat(TestRelays.get(open, "/api/streams/cam9").statusCode()).isEqualTo(200);
            assertThat(TestRelays.get(open, "/metrics").statusCode()).isEqualTo(200);
        }
    }
}
