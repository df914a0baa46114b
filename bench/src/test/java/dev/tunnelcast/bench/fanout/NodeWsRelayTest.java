package dev.tunnelcast.bench.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Node baseline relays our publisher's packets to our players, unchanged, over real sockets. */
class NodeWsRelayTest {

    @Test
    @Timeout(60)
    void broadcastsEveryPublisherMessageToEveryPlayer(@TempDir Path dir) throws Exception {
        try (BenchRelay relay = new NodeWsRelay(Path.of("node-relay"), dir.resolve("node.log"));
             SyntheticPublisher publisher = FanoutRun.publisherFor(relay);
             SwarmProcess swarm = FanoutRun.swarmFor(relay, 5, 0, dir.resolve("players.log"))) {
            FanoutRun.MeasuredFrom from = FanoutRun.startMeasuring(publisher, swarm);
            long firstVideo = from.videoSequence();
            long firstAudio = from.audioSequence();
            Thread.sleep(1500);
            publisher.stopSending();
            Thread.sleep(1000);
            swarm.stopMeasuring();
            long sent = (publisher.nextVideoSequence() - firstVideo) + (publisher.nextAudioSequence() - firstAudio);
            SubscriberSwarm.Snapshot s = swarm.snapshot();

            assertThat(sent).isGreaterThan(50);
            assertThat(s.deliveredPerHealthyPlayer()).hasSize(5).allSatisfy(n -> assertThat(n).isEqualTo(sent));
            assertThat(s.latencyMicros().getTotalCount()).isEqualTo(5 * sent);
            assertThat(s.closeCodes()).isEmpty();
            assertThat(relay.residentBytes()).isGreaterThan(1 << 20);
            assertThat(relay.cpuSeconds()).isGreaterThan(0);
        }
    }
}
