package dev.tunnelcast.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunnelcast.agent.clock.ClockOffsetEstimator;
import dev.tunnelcast.agent.clock.LocalClock;
import dev.tunnelcast.agent.publish.FatalPublishException;
import dev.tunnelcast.agent.publish.Publisher;
import dev.tunnelcast.agent.publish.PublisherConfig;
import dev.tunnelcast.agent.testing.FakeRelay;
import java.net.URI;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code --relay} takes several URLs (a cluster's nodes), repeated or comma-separated; the
 * publisher starts at the first and, when its connection is lost or an attempt fails, goes on
 * to the next, round the list (real WebSockets to {@link FakeRelay}s).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RelayListTest {

    private static PublisherConfig parse(String... args) {
        AgentMain main = new AgentMain();
        new CommandLine(main).parseArgs(args);
        return main.buildConfig().publisher();
    }

    private static Publisher publisher(String... relays) {
        PublisherConfig config = parse("--relay", String.join(",", relays), "--stream", "cam1");
        return new Publisher(config, LocalClock.system(), new ClockOffsetEstimator(10_000_000), new Publisher.Listener() {
            @Override
            public void onKeyframeNeeded(String why) {}

            @Override
            public void onVideoDropped() {}

            @Override
            public void onFatal(FatalPublishException error) {}
        });
    }

    @Test
    void severalRelaysRepeatedOrCommaSeparatedInOrder() {
        PublisherConfig p = parse("--relay", "ws://n1:8080", "--relay", "http://n2:8080, ws://n3:8080", "--stream", "cam1");
        assertThat(p.relays()).containsExactly(URI.create("ws://n1:8080"), URI.create("ws://n2:8080"),
                URI.create("ws://n3:8080"));
        assertThat(p.publishUri(p.relays().get(2))).hasToString("ws://n3:8080/ws/publish/cam1");
        assertThat(parse("--stream", "cam1").relays()).containsExactly(URI.create("ws://127.0.0.1:8080"));
    }

    @Test
    void relaysMustShareTheirScheme() {
        assertThatThrownBy(() -> parse("--relay", "ws://n1:8080,wss://n2:8443", "--stream", "cam1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("all be ws:// or all wss://");
    }

    @Test
    void aLostConnectionMovesToTheNextRelayRoundTheList() throws Exception {
        try (FakeRelay first = new FakeRelay(n -> null, List.of()); FakeRelay second = new FakeRelay(n -> null, List.of());
             Publisher publisher = publisher("ws://127.0.0.1:" + first.port(), "ws://127.0.0.1:" + second.port())) {
            publisher.start();
            await(() -> first.connections().size() == 1 && publisher.connected(), "on the first relay");

            first.cut(0);
            await(() -> second.connections().size() == 1 && publisher.connected(), "on the second relay");
            assertThat(first.connections()).as("not back to the first").hasSize(1);
            assertThat(second.connections().get(0).hello().getInstanceId()).isEqualTo(publisher.instanceId());

            second.cut(0);
            await(() -> first.connections().size() == 2 && publisher.connected(), "round the list, on the first again");
        }
    }

    @Test
    void aDeadRelayIsSkipped() throws Exception {
        int deadPort;
        try (FakeRelay gone = new FakeRelay(n -> null, List.of())) {
            deadPort = gone.port();
        }
        try (FakeRelay live = new FakeRelay(n -> null, List.of());
             Publisher publisher = publisher("ws://127.0.0.1:" + deadPort, "ws://127.0.0.1:" + live.port())) {
            publisher.start();
            await(() -> live.connections().size() == 1 && publisher.connected(), "on the live relay");
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(20);
        }
    }
}
