package dev.tunnelcast.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** {@link TokenRefusals} names every reason {@link TokenAuthority} gives, so the counters registered at zero are the real ones. */
class TokenRefusalsTest {

    static final String SECRET = "s3cret";
    final TokenAuthority tokens = new TokenAuthority(SECRET);
    final Instant now = Instant.ofEpochSecond(1_800_000_000L);

    @Test
    void everyRefusalOfTheAuthorityIsListed() throws Exception {
        List<String> unusable = new ArrayList<>();
        unusable.add(null);
        unusable.add("");
        unusable.add("no-dot");
        unusable.add("a.b.c");
        unusable.add("!!!.???");
        unusable.add(new TokenAuthority("other").mint(Action.PLAY, "cam1", now.plusSeconds(60)));
        unusable.add(tokens.mint(Action.PLAY, "cam1", now.minusSeconds(1)));
        unusable.add(signed("v2:play:cam1:1900000000"));
        unusable.add(signed("v1:play:cam1"));
        unusable.add(signed("v1:play:cam1:soon"));
        unusable.add(tokens.mint(Action.JOIN, "cam1", now.plusSeconds(60))); // a join token names a room's stream(s)
        List<Action> checked = List.of(Action.PUBLISH, Action.PLAY); // what routes and sockets ask for
        for (Action action : checked) {
            for (String token : unusable) {
                TokenVerdict verdict = tokens.check(token, action, "cam1", now);
                assertThat(verdict.kind()).as(token).isEqualTo(TokenVerdict.Kind.UNAUTHORIZED);
                assertThat(TokenRefusals.UNAUTHORIZED).as(token).contains(verdict.detail());
            }
            String join = tokens.mintJoin("room", "p", now.plusSeconds(60));
            TokenVerdict outsideItsRoom = tokens.check(join, action, "cam1", now);
            assertThat(outsideItsRoom.kind()).isEqualTo(TokenVerdict.Kind.FORBIDDEN);
            assertThat(TokenRefusals.forbidden(action, true)).contains(outsideItsRoom.detail());
            assertThat(tokens.checkAction(join, action, now).isAccepted()).as("a join token is not refused for its action").isTrue();
            for (Action other : checked) {
                String token = tokens.mint(other, "cam1", now.plusSeconds(60));
                TokenVerdict onOneStream = tokens.check(token, action, other == action ? "cam2" : "cam1", now);
                assertThat(onOneStream.kind()).isEqualTo(TokenVerdict.Kind.FORBIDDEN);
                assertThat(TokenRefusals.forbidden(action, true)).contains(onOneStream.detail());
                if (other != action) {
                    assertThat(TokenRefusals.forbidden(action, false)).contains(tokens.checkAction(token, action, now).detail());
                }
            }
        }
    }

    /** A token the authority signed, with any payload. */
    static String signed(String payload) throws Exception {
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] signature = mac.doFinal(encoded.getBytes(StandardCharsets.US_ASCII));
        return encoded + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }
}
