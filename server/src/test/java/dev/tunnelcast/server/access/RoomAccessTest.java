package dev.tunnelcast.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.proto.v1.Status;
import dev.tunnelcast.proto.v1.StatusCode;
import dev.tunnelcast.server.Relay;
import dev.tunnelcast.server.RelayMain;
import dev.tunnelcast.server.archive.ArchiveConfig;
import dev.tunnelcast.server.auth.Action;
import dev.tunnelcast.server.auth.TokenAuthority;
import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.WsClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Join tokens on a real relay with a token secret (docs/protocol.md, "Tokens"): a token for
 * {@code R.P} publishes {@code R.P} only, one for {@code R.*} any participant's stream of R,
 * and both play every stream of R, over WebSockets and the HTTP read routes; the CLI mints them.
 */
class RoomAccessTest {

    static final String SECRET = "room-secret-0123456789";
    static final TokenAuthority TOKENS = new TokenAuthority(SECRET);
    static final ObjectMapper JSON = new ObjectMapper();
    static Relay relay;
    final List<WsClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        relay = Relay.start(TestRelays.config().tokenSecret(SECRET).build());
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(WsClient::close);
    }

    static String join(String room, String participant) {
        return TOKENS.mintJoin(room, participant, Instant.now().plusSeconds(600));
    }

    static URI withToken(URI uri, String token) {
        return URI.create(uri + "?token=" + token);
    }

    /** The first answer to a Hello on {@code uri}: Welcome (0), or the refusal's close code (sent right after the handshake). */
    int answer(URI uri, Role role) {
        WsClient client = WsClient.connect(uri);
        clients.add(client);
        try {
            client.send(Messages.hello(role));
        } catch (RuntimeException refusedAlready) {
            // the token was refused before the Hello could go out: the refusal is waiting below
        }
        Envelope first = client.next().envelope();
        if (first.getKindCase() == Envelope.KindCase.WELCOME) {
            return 0;
        }
        Status status = first.getStatus();
        assertThat(status.getCode()).as("answer: %s", first).isEqualTo(StatusCode.STATUS_CODE_REFUSED);
        assertThat(client.awaitClose().code()).isEqualTo(status.getCloseCode());
        return status.getCloseCode();
    }

    int publish(String stream, String token) {
        return answer(withToken(TestRelays.publishUri(relay, stream), token), Role.ROLE_PUBLISHER);
    }

    int play(String stream, String token) {
        return answer(withToken(TestRelays.playUri(relay, stream), token), Role.ROLE_PLAYER);
    }

    static final int FORBIDDEN = CloseCode.CLOSE_CODE_FORBIDDEN.getNumber();

    @Test
    void aParticipantsTokenPublishesItsOwnStreamOnlyAndPlaysTheRoom() {
        String alice = join("standup", "alice");
        assertThat(publish("standup.alice", alice)).isZero();
        assertThat(publish("standup.bob", alice)).as("another participant's stream").isEqualTo(FORBIDDEN);
        assertThat(publish("other.alice", alice)).as("another room").isEqualTo(FORBIDDEN);
        assertThat(publish("standup", alice)).as("a stream named like the room").isEqualTo(FORBIDDEN);
        assertThat(play("standup.bob", alice)).isZero();
        assertThat(play("standup.alice", alice)).isZero();
        assertThat(play("other.bob", alice)).isEqualTo(FORBIDDEN);
        assertThat(play("cam1", alice)).isEqualTo(FORBIDDEN);
    }

    @Test
    void aRoomTokenPublishesAnyParticipantOfItsRoom() {
        String anyone = TOKENS.mintJoin("retro", null, Instant.now().plusSeconds(600));
        assertThat(publish("retro.x", anyone)).isZero();
        assertThat(publish("retro.y", anyone)).isZero();
        assertThat(publish("other.x", anyone)).isEqualTo(FORBIDDEN);
        assertThat(play("retro.z", anyone)).isZero();
        assertThat(play("cam1", anyone)).isEqualTo(FORBIDDEN);
    }

    @Test
    void publishingIntoARoomTakesAJoinOrPublishTokenForTheStream() {
        assertThat(publish("standup.eve", "")).isEqualTo(CloseCode.CLOSE_CODE_UNAUTHORIZED.getNumber());
        String play = TOKENS.mint(Action.PLAY, "standup.eve", Instant.now().plusSeconds(600));
        assertThat(publish("standup.eve", play)).isEqualTo(FORBIDDEN);
        String publish = TOKENS.mint(Action.PUBLISH, "standup.eve", Instant.now().plusSeconds(600));
        assertThat(publish("standup.eve", publish)).as("a publish token for the stream is still good").isZero();
        assertThat(play("standup.bob", publish)).isEqualTo(FORBIDDEN);
    }

    @Test
    void anExpiredJoinTokenIsUnauthorized() {
        String expired = TOKENS.mintJoin("standup", "late", Instant.now().minusSeconds(1));
        assertThat(publish("standup.late", expired)).isEqualTo(CloseCode.CLOSE_CODE_UNAUTHORIZED.getNumber());
    }

    @Test
    void theHttpReadRoutesShowAJoinTokenItsRoom() throws Exception {
        assertThat(publish("daily.alice", join("daily", "alice"))).isZero();
        assertThat(publish("daily.bob", join("daily", "bob"))).isZero();
        assertThat(publish("weekly.carol", join("weekly", "carol"))).isZero();
        assertThat(publish("cam9", TOKENS.mint(Action.PUBLISH, "cam9", Instant.now().plusSeconds(600)))).isZero();
        String bob = join("daily", "bob");
        for (HttpResponse<String> list : List.of(get("/api/streams?token=" + bob),
                TestRelays.get(relay.baseUri().resolve("/api/streams"), "Authorization", "Bearer " + bob))) {
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(list.body()).path("streams").findValuesAsText("name")).containsExactly("daily.alice", "daily.bob");
        }
        assertThat(get("/api/streams/daily.alice?token=" + bob).statusCode()).isEqualTo(200);
        HttpResponse<String> other = get("/api/streams/weekly.carol?token=" + bob);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(other.body()).path("reason").asText()).isEqualTo("token is for another stream");
        assertThat(get("/api/streams/cam9?token=" + bob).statusCode()).isEqualTo(403);
    }

    @Test
    void theRecordingRoutesToo(@TempDir Path dir) throws Exception {
        try (Relay recording = Relay.start(TestRelays.config().tokenSecret(SECRET).archive(ArchiveConfig.defaults(dir)).build())) {
            String bob = join("daily", "bob");
            // Readable with the token: the list (empty) and no playlist (404: nothing recorded), not 401/403.
            for (String path : List.of("/api/streams/daily.alice/recordings", "/api/streams/daily.alice/archive.m3u8")) {
                int code = TestRelays.get(recording.baseUri().resolve(path + "?token=" + bob)).statusCode();
                assertThat(code).as(path).isEqualTo(path.endsWith("recordings") ? 200 : 404);
                HttpResponse<String> other = TestRelays.get(recording.baseUri().resolve(
                        path.replace("daily.alice", "weekly.carol") + "?token=" + bob));
                assertThat(other.statusCode()).as(path).isEqualTo(403);
            }
        }
    }

    @Test
    void theCommandLineMintsJoinTokens() {
        String alice = cli("token", "--secret", SECRET, "--room", "cli-room", "--participant", "alice", "--ttl", "5m");
        assertThat(publish("cli-room.alice", alice)).isZero();
        assertThat(publish("cli-room.bob", alice)).isEqualTo(FORBIDDEN);
        assertThat(play("cli-room.bob", alice)).isZero();
        String anyone = cli("token", "--secret", SECRET, "--room", "cli-room", "--ttl", "2h");
        assertThat(publish("cli-room.carol", anyone)).isZero();
        assertThat(publish("cli-other.carol", anyone)).isEqualTo(FORBIDDEN);
    }

    @Test
    void theCommandLineRefusesBadRoomArguments() {
        for (String[] args : new String[][] {
            {"token", "--secret", "s", "--room", "a.b"},
            {"token", "--secret", "s", "--room", "ok", "--participant", "x.y"},
            {"token", "--secret", "s", "--participant", "alice"},
            {"token", "--secret", "s", "--room", "ok", "--action", "play", "--stream", "x"},
            {"token", "--secret", "s", "--action", "join", "--stream", "ok.alice"},
            {"token", "--secret", "s"},
        }) {
            StringWriter err = new StringWriter();
            CommandLine cmd = new CommandLine(new RelayMain());
            cmd.setErr(new PrintWriter(err));
            cmd.setOut(new PrintWriter(new StringWriter()));
            assertThat(cmd.execute(args)).as(String.join(" ", args)).isNotZero();
            assertThat(err.toString()).as(String.join(" ", args)).isNotBlank();
        }
    }

    static HttpResponse<String> get(String pathAndQuery) {
        return TestRelays.get(relay.baseUri().resolve(pathAndQuery));
    }

    static String cli(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new RelayMain());
        cmd.setOut(new PrintWriter(out));
        assertThat(cmd.execute(args)).isZero();
        return out.toString().trim();
    }
}
