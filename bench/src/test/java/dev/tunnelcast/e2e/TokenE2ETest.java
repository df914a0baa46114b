package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.agent.Agent;
import dev.tunnelcast.agent.AgentConfig;
import dev.tunnelcast.agent.publish.FatalPublishException;
import dev.tunnelcast.agent.publish.PublisherConfig;
import dev.tunnelcast.server.Relay;
import dev.tunnelcast.server.auth.Action;
import dev.tunnelcast.server.auth.TokenAuthority;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A relay that requires tokens: a valid one publishes; a bad one stops the agent with the relay's reason. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // native calls ignore interrupts
class TokenE2ETest {

    static final String SECRET = "e2e-secret-0123456789";

    static AgentConfig withToken(URI relay, String token) {
        AgentConfig c = AgentFixtures.agent(relay, "private", null, null);
        PublisherConfig p = c.publisher();
        return new AgentConfig(c.video(), c.audio(), c.input(), c.videoEncoder(), c.opus(), c.stampFrames(), c.adaptive(),
                new PublisherConfig(p.relay(), p.stream(), token, p.proxy(), p.tls(), p.sendQueueBytes(), p.sendQueueAge(),
                        p.connectTimeout(), p.backoffInitial(), p.backoffMax(), p.pingInterval(), p.clientName()));
    }

    @Test
    void aValidTokenPublishesAndABadOneStopsTheAgentForGood() throws Exception {
        RelayRecorder recorder = new RelayRecorder();
        try (Relay relay = Relay.start(AgentFixtures.relay().tokenSecret(SECRET).build())) {
            relay.addObserver(recorder);
            URI base = URI.create("ws://127.0.0.1:" + relay.port());
            String good = new TokenAuthority(SECRET).mint(Action.PUBLISH, "private",
                    java.time.Instant.now().plus(Duration.ofMinutes(5)));
            try (Agent agent = new Agent(withToken(base, good)).start()) {
                ReconnectE2ETest.await(() -> recorder.packets(1).size() >= 10, 20_000);
            }

            String forged = new TokenAuthority("another-secret-987654321").mint(Action.PUBLISH, "private",
                    java.time.Instant.now().plus(Duration.ofMinutes(5)));
            try (Agent agent = new Agent(withToken(base, forged)).start()) {
                Exception failure = agent.failure().get(10, TimeUnit.SECONDS);
                assertThat(failure).isInstanceOf(FatalPublishException.class);
                assertThat(((FatalPublishException) failure).closeCode()).isEqualTo(4401);
                Thread.sleep(1_000);
                assertThat(agent.stats().reconnects()).as("no retry after a refusal a retry cannot fix").isZero();
                assertThat(agent.stats().connected()).isFalse();
            }
        }
    }
}
