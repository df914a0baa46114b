package dev.tunnelcast.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

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
    void withoutASecretEveryoneIsAccepted() {
        TokenAuthority open = new TokenAuthority("");
        assertThat(open.enabled()).isFalse();
        assertThat(open.check(null, Action.PUBLISH, "cam1", now).isAccepted()).isTrue();
        assertThat(open.checkAction(null, Action.PLAY, now).allows("any")).isTrue();
    }
}
