package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunnelcast.agent.Agent;
import dev.tunnelcast.bench.latency.ChromiumPlayer;
import dev.tunnelcast.server.cluster.NatsServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The web player in real Chromium moves between cluster nodes (docs/cluster.md, "Failures"): a
 * real nats-server, two relay nodes in their own JVMs, the agent publishing through node 2, and
 * the player page from node 1 given both nodes ({@code ?relays=}), so that it plays through
 * node 1 (node 2 allows node 1's origin). After {@code kill -9} of node 1 the player must say it is reconnecting, go on to
 * node 2 by itself and play again, frames advancing. How long it showed "reconnecting" is
 * printed (the goal is 2 s on a quiet machine), not asserted: this test checks
 * behaviour on a busy 2-core machine.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // native calls ignore interrupts
class ClusterPlayerFailoverE2ETest {

    private static final Path WEB_PLAYER = Path.of("..", "web-player").toAbsolutePath().normalize();
    private static final Path ARTIFACTS = Path.of("target", "e2e").toAbsolutePath();
    private static final String STREAM = "failover-page";
    /** At most: long enough for a killed node to be noticed, the next one tried and a GOP shown, on a busy machine. */
    private static final Duration WATCH = Duration.ofSeconds(20);

    @Test
    void thePlayerOfAKilledNodeGoesOnToTheNextNodeInItsListAndPlays() throws Exception {
        Path work = Files.createTempDirectory(Files.createDirectories(ARTIFACTS), "player-failover-");
        try (NatsServer nats = NatsServer.start(work.resolve("nats"));
             JavaProcess node1 = ClusterFailoverE2ETest.node(work, nats, "n1");
             // node 2 must let node 1's page open WebSockets (docs/cluster.md, "Clients with several relays")
             JavaProcess node2 = ClusterFailoverE2ETest.node(work, nats, "n2", "--allowed-origins",
                     "self,http://127.0.0.1:" + node1.port());
             Agent agent = new Agent(AgentFixtures.agent(List.of(ws(node2)), STREAM, null, null)).start();
             ChromiumPlayer browser = ChromiumPlayer.launch(WEB_PLAYER, ARTIFACTS.resolve("chromium-cluster-failover.log"))) {
            browser.open("http://127.0.0.1:" + node1.port() + "/?relays=" + ws(node1) + "," + ws(node2) + "#/play/" + STREAM);
            browser.waitFor(List.of("playing"), 30, Duration.ofSeconds(60));
            assertThat(node1.get("/api/streams/" + STREAM)).as("the page plays through node 1 first")
                    .containsPattern("\"players\":\\s*1\\b");

            JsonNode watched = browser.watchRecovery(WATCH, PlayerScenarios.RESUMED_FRAMES, () -> kill9(node1));
            PlayerScenarios.Reconnection reconnection = PlayerScenarios.Reconnection.of(watched);
            System.out.printf("ClusterPlayerFailoverE2ETest: kill -9 of the player's node -> reconnecting for %d ms,"
                    + " then playing through node 2%n", reconnection.reconnectingMillis());
            reconnection.assertPlaysOn(watched);
            assertThat(watched.path("last").path("videoDecodeErrors").asInt()).isZero();
            assertThat(node2.get("/api/streams/" + STREAM)).as("node 2 has the player now")
                    .containsPattern("\"players\":\\s*1\\b");
            browser.screenshot(ARTIFACTS.resolve("player-cluster-failover.png"));
        }
    }

    private static URI ws(JavaProcess node) {
        return URI.create("ws://127.0.0.1:" + node.port());
    }

    private static void kill9(JavaProcess node) {
        try {
            node.kill9();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while killing a node", e);
        }
    }
}
