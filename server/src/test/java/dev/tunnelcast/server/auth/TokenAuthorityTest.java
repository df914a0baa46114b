package dev.tunnelcast.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class TokenAuthorityTest {

    final TokenAuthority tokens = new TokenAuthority("s3cret");
    final Instant now = Instant.ofEpochSecond(1_800_000_000L);

    @Test
    void theFormatIsTheDocumentedOne() throws Exception {
        String token = tokens.mint(Action.PUBLISH, "cam1", Instant.ofEpochSecond(1_800_000_060L));
        String[] parts = token.split("\\.");
        assertThat(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8))
                .isEqualTo("v1:publish:cam1:1800000060");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(parts[1]).isEqualTo(Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(parts[0].getBytes(StandardCharsets.US_ASCII))));
        assertThat(token).doesNotContain("=");
    }

    @Test
    void verdicts() {
        String good = tokens.mint(Action.PLAY, "cam1", now.plusSeconds(60));
        assertThat(tokens.check(good, Action.PLAY, "cam1", now).kind()).isEqualTo(TokenVerdict.Kind.ACCEPTED);
        assertThat(tokens.check(good, Action.PLAY, "cam1", now.plusSeconds(60)).detail()).isEqualTo("token expired");
        assertThat(tokens.check(good, Action.PUBLISH, "cam1", now).kind()).isEqualTo(TokenVerdict.Kind.FORBIDDEN);
        assertThat(tokens.check(good, Action.PLAY, "cam2", now).kind()).isEqualTo(TokenVerdict.Kind.FORBIDDEN);
        assertThat(tokens.check(null, Action.PLAY, "cam1", now).detail()).isEqualTo("token missing");
        assertThat(tokens.check("a.b.c", Action.PLAY, "cam1", now).detail()).isEqualTo("token malformed");
        assertThat(tokens.check("!!!.???", Action.PLAY, "cam1", now).detail()).isEqualTo("token malformed");
        String forged = new TokenAuthority("other").mint(Action.PLAY, "cam1", now.plusSeconds(60));
        assertThat(tokens.check(forged, Action.PLAY, "cam1", now).detail()).isEqualTo("token signature invalid");
        String any = tokens.mint(Action.PLAY, TokenAuthority.ANY_STREAM, now.plusSeconds(60));
        assertThat(tokens.check(any, Action.PLAY, "whatever", now).isAccepted()).isTrue();
    }

    @Test
    void aVerdictOnTheActionAloneSaysWhichStreamsTheTokenCovers() {
        TokenVerdict one = tokens.checkAction(tokens.mint(Action.PLAY, "cam1", now.plusSeconds(60)), Action.PLAY, now);
        assertThat(one.isAccepted()).isTrue();
        assertThat(one.allows("cam1")).isTrue();
        assertThat(one.allows("cam2")).isFalse();
        TokenVerdict any = tokens.checkAction(tokens.mint(Action.PLAY, TokenAuthority.ANY_STREAM, now.plusSeconds(60)), Action.PLAY, now);
        assertThat(any.allows("cam2")).isTrue();
        TokenVerdict publish = tokens.checkAction(tokens.mint(Action.PUBLISH, "cam1", now.plusSeconds(60)), Action.PLAY, now);
        assertThat(publish.kind()).isEqualTo(TokenVerdict.Kind.FORBIDDEN);
        assertThat(publish.allows("cam1")).isFalse();
    }

    @Test
    void aJoinTokenPublishesItsOwnStreamAndPlaysTheRoom() throws Exception {
        String token = tokens.mintJoin("standup", "alice", now.plusSeconds(60));
        assertThat(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8))
                .isEqualTo("v1:join:standup.alice:" + (now.getEpochSecond() + 60));
        assertThat(tokens.check(token, Action.PUBLISH, "standup.alice", now).isAccepted()).isTrue();
        for (String other : new String[] {"standup.bob", "other.alice", "standup", "standup.alice.x", "cam1"}) {
            TokenVerdict verdict = tokens.check(token, Action.PUBLISH, other, now);
            assertThat(verdict.kind()).as(other).isEqualTo(TokenVerdict.Kind.FORBIDDEN);
            assertThat(verdict.detail()).isEqualTo("token is for another stream");
        }
        assertThat(tokens.check(token, Action.PLAY, "standup.alice", now).isAccepted()).isTrue();
        assertThat(tokens.check(token, Action.PLAY, "standup.bob", now).isAccepted()).isTrue();
        assertThat(tokens.check(token, Action.PLAY, "other.bob", now).kind()).isEqualTo(TokenVerdict.Kind.FORBIDDEN);
        assertThat(tokens.check(token, Action.PLAY, "standup", now).kind()).isEqualTo(TokenVerdict.Kind.FORBIDDEN);
        assertThat(tokens.check(token, Action.PLAY, "standup.bob", now.plusSeconds(60)).detail()).isEqualTo("token expired");
        TokenVerdict list = tokens.checkAction(token, Action.PLAY, now);
        assertThat(list.allows("standup.carol")).isTrue();
        assertThat(list.allows("cam1")).isFalse();
    }

    @Test
    void aJoinTokenForAnyParticipantPublishesEveryStreamOfTheRoom() {
        String token = tokens.mintJoin("standup", null, now.plusSeconds(60));
        assertThat(tokens.check(token, Action.PUBLISH, "standup.alice", now).isAccepted()).isTrue();
        assertThat(tokens.check(token, Action.PUBLISH, "standup.bob", now).isAccepted()).isTrue();
        assertThat(tokens.check(token, Action.PUBLISH, "other.bob", now).kind()).isEqualTo(TokenVerdict.Kind.FORBIDDEN);
        assertThat(tokens.check(token, Action.PUBLISH, "standup", now).kind()).isEqualTo(TokenVerdict.Kind.FORBIDDEN);
        assertThat(tokens.check(token, Action.PLAY, "standup.x", now).isAccepted()).isTrue();
    }

    @Test
    void playAndPublishTokensGrantNothingInRoomsBeyondTheirStreams() {
        String play = tokens.mint(Action.PLAY, "standup.alice", now.plusSeconds(60));
        assertThat(tokens.check(play, Action.PLAY, "standup.bob", now).kind()).isEqualTo(TokenVerdict.Kind.FORBIDDEN);
        assertThat(tokens.check(play, Action.PUBLISH, "standup.alice", now).detail()).isEqualTo("token is for action play");
    }

    @Test
    void joinTokensWithBadNamesAreMalformed() {
        for (String subject : new String[] {"standup", "standup.", ".alice", "a.b.c", "*", "*.*", "st an.alice", "standup.al ice"}) {
            String token = tokens.mint(Action.JOIN, subject, now.plusSeconds(60));
            assertThat(tokens.check(token, Action.PLAY, "standup.alice", now).detail()).as(subject).isEqualTo("token malformed");
        }
        assertThatThrownBy(() -> tokens.mintJoin("a.b", "c", now)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.mintJoin("ab", "c.d", now)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.mintJoin("*", null, now)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutASecretEveryoneIsAccepted() {
        TokenAuthority open = new TokenAuthority("");
        assertThat(open.enabled()).isFalse();
        assertThat(open.check(null, Action.PUBLISH, "cam1", now).isAccepted()).isTrue();
        assertThat(open.checkAction(null, Action.PLAY, now).allows("any")).isTrue();
    }
}
