package dev.tunnelcast.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.server.auth.Action;
import dev.tunnelcast.server.auth.TokenAuthority;
import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.WsClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Access tokens: refused when missing, wrong, expired or for something else; accepted when right. */
class TokenTest {

    static final String SECRET = "test-secret-0123456789";
    static Relay relay;
    static final TokenAuthority tokens = new TokenAuthority(SECRET);

    @BeforeAll
    static void start() {
        relay = Relay.start(TestRelays.config().tokenSecret(SECRET).build());
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void missingTokenIsUnauthorized() {
        assertRefusedAt(TestRelays.playUri(relay, "cam1"), CloseCode.CLOSE_CODE_UNAUTHORIZED);
    }

    @Test
    void wrongSignatureIsUnauthorized() {
        String other = new TokenAuthority("another-secret").mint(Action.PLAY, "cam1", Instant.now().plusSeconds(60));
        assertRefusedAt(withToken(TestRelays.playUri(relay, "cam1"), other), CloseCode.CLOSE_CODE_UNAUTHORIZED);
        String good = tokens.mint(Action.PLAY, "cam1", Instant.now().plusSeconds(60));
        String tampered = good.substring(0, good.length() - 2) + (good.endsWith("AA") ? "BB" : "AA");
        assertRefusedAt(withToken(TestRelays.playUri(relay, "cam1"), tampered), CloseCode.CLOSE_CODE_UNAUTHORIZED);
        assertRefusedAt(withToken(TestRelays.playUri(relay, "cam1"), "garbage"), CloseCode.CLOSE_CODE_UNAUTHORIZED);
    }

    @Test
    void expiredTokenIsUnauthorized() {
        String expired = tokens.mint(Action.PLAY, "cam1", Instant.now().minusSeconds(1));
        assertRefusedAt(withToken(TestRelays.playUri(relay, "cam1"), expired), CloseCode.CLOSE_CODE_UNAUTHORIZED);
    }

    @Test
    void wrongActionIsForbidden() {
        String playToken = tokens.mint(Action.PLAY, "cam1", Instant.now().plusSeconds(60));
        assertRefusedAt(withToken(TestRelays.publishUri(relay, "cam1"), playToken), CloseCode.CLOSE_CODE_FORBIDDEN);
    }

    @Test
    void wrongStreamIsForbidden() {
        String token = tokens.mint(Action.PLAY, "cam1", Instant.now().plusSeconds(60));
        assertRefusedAt(withToken(TestRelays.playUri(relay, "cam2"), token), CloseCode.CLOSE_CODE_FORBIDDEN);
    }

    @Test
    void goodTokensAreAccepted() {
        String publish = tokens.mint(Action.PUBLISH, "cam1", Instant.now().plusSeconds(60));
        String playAny = tokens.mint(Action.PLAY, TokenAuthority.ANY_STREAM, Instant.now().plusSeconds(60));
        assertPairWorks("cam1", publish, playAny);
    }

    @Test
    void tokensMintedByTheCommandLineAreAccepted() {
        String publish = cli("token", "--secret", SECRET, "--action", "publish", "--stream", "cli-cam", "--ttl", "5m");
        String play = cli("token", "--secret", SECRET, "--action", "play", "--stream", "*", "--ttl", "1h");
        assertPairWorks("cli-cam", publish, play);
    }

    @Test
    void aBearerHeaderCarriesTheToken() {
        String publish = tokens.mint(Action.PUBLISH, "bearer-cam", Instant.now().plusSeconds(60));
        String play = tokens.mint(Action.PLAY, "bearer-cam", Instant.now().plusSeconds(60));
        try (WsClient publisher = WsClient.connect(TestRelays.publishUri(relay, "bearer-cam"), "Authorization", "Bearer " + publish);
             WsClient player = WsClient.connect(TestRelays.playUri(relay, "bearer-cam"), "Authorization", "bearer " + play)) {
            assertPairWorks(publisher, player);
        }
        String playOther = tokens.mint(Action.PLAY, "other", Instant.now().plusSeconds(60));
        RefusalTest.assertRefused(WsClient.connect(TestRelays.playUri(relay, "bearer-cam"), "Authorization", "Bearer " + playOther),
                CloseCode.CLOSE_CODE_FORBIDDEN);
    }

    /** As on the HTTP routes: with both, the header's token is the one judged. */
    @Test
    void theBearerHeaderWinsOverTheQuery() {
        String play = tokens.mint(Action.PLAY, "cam1", Instant.now().plusSeconds(60));
        URI garbageInQuery = withToken(TestRelays.playUri(relay, "cam1"), "garbage");
        try (WsClient player = WsClient.connect(garbageInQuery, "Authorization", "Bearer " + play)) {
            player.send(Messages.hello(Role.ROLE_PLAYER));
            assertThat(player.next().envelope().getKindCase()).isEqualTo(Envelope.KindCase.WELCOME);
        }
        RefusalTest.assertRefused(WsClient.connect(withToken(TestRelays.playUri(relay, "cam1"), play), "Authorization", "Bearer garbage"),
                CloseCode.CLOSE_CODE_UNAUTHORIZED);
    }

    @Test
    void theCommandLineRejectsBadArguments() {
        CommandLine cmd = new CommandLine(new RelayMain());
        cmd.setErr(new PrintWriter(new StringWriter()));
        assertThat(cmd.execute("token", "--secret", "s", "--action", "watch", "--stream", "x")).isNotZero();
        assertThat(cmd.execute("token", "--secret", "s", "--action", "play", "--stream", "bad name")).isNotZero();
        assertThat(cmd.execute("token", "--action", "play", "--stream", "x")).isNotZero();
    }

    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new RelayMain());
        cmd.setOut(new PrintWriter(out));
        assertThat(cmd.execute(args)).isZero();
        return out.toString().trim();
    }

    private static void assertPairWorks(String stream, String publishToken, String playToken) {
        try (WsClient publisher = WsClient.connect(withToken(TestRelays.publishUri(relay, stream), publishToken));
             WsClient player = WsClient.connect(withToken(TestRelays.playUri(relay, stream), playToken))) {
            assertPairWorks(publisher, player);
        }
    }

    private static void assertPairWorks(WsClient publisher, WsClient player) {
        publisher.send(Messages.hello(Role.ROLE_PUBLISHER));
        assertThat(publisher.next().envelope().getKindCase()).isEqualTo(Envelope.KindCase.WELCOME);
        player.send(Messages.hello(Role.ROLE_PLAYER));
        assertThat(player.next().envelope().getKindCase()).isEqualTo(Envelope.KindCase.WELCOME);
        publisher.send(Messages.audioConfig(Messages.AUDIO));
        assertThat(player.nextOf(Envelope.KindCase.TRACK_CONFIG).getTrackConfig().getCodec()).isEqualTo("opus");
    }

    private static void assertRefusedAt(URI uri, CloseCode code) {
        WsClient client = WsClient.connect(uri);
        RefusalTest.assertRefused(client, code);
    }

    private static URI withToken(URI uri, String token) {
        return URI.create(uri + "?token=" + token);
    }
}
