package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunnelcast.bench.latency.ChromiumPlayer;
import dev.tunnelcast.bench.latency.LiveStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenarios of the live player that every engine's end-to-end test runs the same way: a relay
 * restart is survived, and a token the relay refuses is shown as such, for good.
 */
final class PlayerScenarios {

    /** Frames a recovered player shows before a watch of its recovery ends: more than {@link Reconnection#assertPlaysOn} asks. */
    static final int RESUMED_FRAMES = 45;

    private PlayerScenarios() {
    }

    /**
     * With {@code url} playing, the relay restarts on the same port: the player shows
     * "reconnecting", is back on the relay within 3 s (its reconnect backoff; the agent's comes
     * first), plays again within the 8 s watched at most, and frames advance after that (the watch
     * ends once 45 frames were shown since it played again). The time from
     * the reconnection to the first frame is the engine's decoding start on a busy machine
     * (WebKit's took 1.3 s at a load average of 10): printed, not bounded.
     */
    static void assertResumesAfterRelayRestart(ChromiumPlayer browser, LiveStack stack, String url) throws InterruptedException {
        browser.open(url);
        browser.waitFor(List.of("playing"), 30, Duration.ofSeconds(30));
        JsonNode watched = browser.watchRecovery(Duration.ofSeconds(8), RESUMED_FRAMES, stack::restartRelay);
        Reconnection reconnection = Reconnection.of(watched);
        System.out.printf("state changes around the relay restart: %s; reconnecting → playing: %d ms%n", reconnection.changes(),
                reconnection.reconnectingMillis());
        assertThat(reconnection.backMillis()).as("reconnecting → back on the relay (%s), ms",
                reconnection.back().path("state").asText()).isLessThanOrEqualTo(3000);
        reconnection.assertPlaysOn(watched);
    }

    /**
     * A player's way through a lost connection, from the state changes of a {@link ChromiumPlayer#watchRecovery}:
     * the first "reconnecting", the first other state after it (back on the relay), and the first "playing" after it.
     */
    record Reconnection(List<JsonNode> changes, JsonNode reconnecting, JsonNode back, JsonNode resumed) {

        static Reconnection of(JsonNode watched) {
            List<JsonNode> changes = new ArrayList<>();
            watched.path("changes").forEach(changes::add);
            JsonNode reconnecting = changes.stream().filter(c -> c.path("state").asText().equals("reconnecting"))
                    .findFirst().orElseThrow(() -> new AssertionError("never showed reconnecting: " + changes));
            JsonNode back = changes.stream()
                    .filter(c -> c.path("tMs").asLong() > reconnecting.path("tMs").asLong()
                            && !c.path("state").asText().equals("reconnecting"))
                    .findFirst().orElseThrow(() -> new AssertionError("never reconnected: " + changes));
            JsonNode resumed = changes.stream()
                    .filter(c -> c.path("state").asText().equals("playing")
                            && c.path("tMs").asLong() > reconnecting.path("tMs").asLong())
                    .findFirst().orElseThrow(() -> new AssertionError("never resumed: " + changes));
            return new Reconnection(changes, reconnecting, back, resumed);
        }

        long backMillis() {
            return back.path("tMs").asLong() - reconnecting.path("tMs").asLong();
        }

        long reconnectingMillis() {
            return resumed.path("tMs").asLong() - reconnecting.path("tMs").asLong();
        }

        /** At the end of the watch still playing, 30 frames and more shown since it resumed. */
        void assertPlaysOn(JsonNode watched) {
            JsonNode last = watched.path("last");
            assertThat(last.path("state").asText()).isEqualTo("playing");
            assertThat(last.path("framesShown").asLong()).as("frames shown since it resumed")
                    .isGreaterThan(resumed.path("framesShown").asLong() + 30);
        }
    }

    /** A token the relay refuses: the player says "Not authorized" and stays so (no reconnect loop). */
    static void assertRefusedToken(ChromiumPlayer browser, LiveStack stack, String stream) {
        browser.open(stack.playerUrl(stream, "not-a-token", "").toString());
        JsonNode stats = browser.waitFor(List.of("unauthorized"), 0, Duration.ofSeconds(15));
        assertThat(stats.path("message").asText()).startsWith("Not authorized");
        assertThat(browser.collect(Duration.ofSeconds(2)).path("last").path("state").asText()).isEqualTo("unauthorized");
        assertThat(browser.text(".tc-message-text")).startsWith("Not authorized");
    }
}
