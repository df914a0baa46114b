package dev.tunnelcast.bench.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The players run in a JVM of their own and report what an in-process swarm would: every
 * packet to every player, the latencies, their process's CPU; closing ends the process.
 */
class SwarmProcessTest {

    @Test
    @Timeout(120)
    void fivePlayersInTheirOwnProcessReportDeliveryLatencyAndCpu(@TempDir Path dir) throws Exception {
        long pid;
        try (BenchRelay relay = new NodeWsRelay(Path.of("node-relay"), dir.resolve("node.log"));
             SyntheticPublisher publisher = FanoutRun.publisherFor(relay);
             SwarmProcess swarm = FanoutRun.swarmFor(relay, 5, 0, dir.resolve("players.log"))) {
            pid = swarm.pid();
            assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
            FanoutRun.MeasuredFrom from = FanoutRun.startMeasuring(publisher, swarm);
            long firstVideo = from.videoSequence();
            long firstAudio = from.audioSequence();
            double cpu0 = swarm.cpuSeconds();
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
            assertThat(swarm.cpuSeconds()).as("the players' process did the reading").isGreaterThan(cpu0);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("the players' process ended").isFalse();
    }

    @Test
    void aSnapshotCrossesTheProcessBoundaryWhole() {
        Histogram latency = new Histogram(60_000_000L, 3);
        latency.recordValue(1_234);
        latency.recordValue(56_789);
        SubscriberSwarm.Snapshot sent = new SubscriberSwarm.Snapshot(List.of(7L, 0L, 12L), 3, latency, Map.of(4408, 1, -1, 2));

        SubscriberSwarm.Snapshot got = SwarmLines.decode(SwarmLines.encode(sent));

        assertThat(got.deliveredPerHealthyPlayer()).containsExactly(7L, 0L, 12L);
        assertThat(got.stalledDelivered()).isEqualTo(3);
        assertThat(got.closeCodes()).isEqualTo(Map.of(4408, 1, -1, 2));
        assertThat(got.latencyMicros()).isEqualTo(latency);
    }

    @Test
    void anEmptySnapshotCrossesToo() {
        SubscriberSwarm.Snapshot sent = new SubscriberSwarm.Snapshot(List.of(), 0, new Histogram(60_000_000L, 3), Map.of());

        SubscriberSwarm.Snapshot got = SwarmLines.decode(SwarmLines.encode(sent));

        assertThat(got.deliveredPerHealthyPlayer()).isEmpty();
        assertThat(got.closeCodes()).isEmpty();
        assertThat(got.latencyMicros().getTotalCount()).isZero();
    }
}
