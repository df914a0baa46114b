package dev.tunnelcast.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunnelcast.server.Relay;
import dev.tunnelcast.server.testing.RawHandshake;
import dev.tunnelcast.server.testing.TestRelays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --allowed-origins}: only the listed origins are upgraded; {@code self} is the relay's own, {@code *} any. */
class OriginOptionTest {

    @Test
    void listedOriginsAreAllowedOthersStillRefused() {
        AccessConfig access = AccessConfig.defaults()
                .withAllowedOrigins(List.of("https://App.Example.com", " http://localhost:3000", "SELF"));
        try (Relay relay = Relay.start(TestRelays.config().access(access).build())) {
            int port = relay.port();
            assertThat(RawHandshake.upgrade(relay, "/ws/play/a", "Origin: https://app.example.com").status()).isEqualTo(101);
            assertThat(RawHandshake.upgrade(relay, "/ws/publish/a", "Origin: https://app.example.com:443").status()).isEqualTo(101);
            assertThat(RawHandshake.upgrade(relay, "/ws/play/b", "Origin: http://localhost:3000").status()).isEqualTo(101);
            assertThat(RawHandshake.upgrade(relay, "/ws/play/c", "Origin: http://127.0.0.1:" + port).status()).isEqualTo(101);
            assertThat(RawHandshake.upgrade(relay, "/ws/play/d", "Origin: http://app.example.com").status()).isEqualTo(403);
            assertThat(RawHandshake.upgrade(relay, "/ws/play/d", "Origin: http://evil.example").status()).isEqualTo(403);
            assertThat(RawHandshake.upgrade(relay, "/ws/play/e").status()).as("no Origin: not a browser").isEqualTo(101);
        }
    }

    @Test
    void withoutSelfOnlyTheListedOriginsAreAllowed() {
        // against DNS rebinding: a page of a foreign name resolved to the relay looks like the relay's own origin
        AccessConfig access = AccessConfig.defaults().withAllowedOrigins(List.of("https://relay.example.com"));
        try (Relay relay = Relay.start(TestRelays.config().access(access).build())) {
            int port = relay.port();
            assertThat(RawHandshake.upgrade(relay, "/ws/play/a", "Origin: http://127.0.0.1:" + port).status()).isEqualTo(403);
            assertThat(RawHandshake.upgrade(relay, "/ws/play/a", "Origin: https://relay.example.com").status()).isEqualTo(101);
        }
    }

    @Test
    void aStarAllowsAnyOrigin() {
        try (Relay relay = Relay.start(TestRelays.config().access(AccessConfig.defaults().withAllowedOrigins(List.of("*"))).build())) {
            assertThat(RawHandshake.upgrade(relay, "/ws/play/a", "Origin: http://evil.example").status()).isEqualTo(101);
        }
    }

    @Test
    void anEntryThatIsNotAnOriginIsAClearError() {
        assertThatThrownBy(() -> AccessConfig.defaults().withAllowedOrigins(List.of("https://app.example.com/player")))
                .hasMessageContaining("not an origin");
        assertThatThrownBy(() -> AccessConfig.defaults().withAllowedOrigins(List.of("app.example.com")))
                .hasMessageContaining("not an origin");
    }
}
