package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.agent.Agent;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.server.Relay;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay drops the agent (it shuts down, closing every connection with 1001, and comes
 * back on the same port): the agent reconnects within 2 s and resumes with its track
 * configs and a keyframe, sequences still increasing.
 */
@Timeout(60)
class ReconnectE2ETest {

    @Test
    void agentResumesWithinTwoSecondsAtAKeyframe() throws Exception {
        RelayRecorder before = new RelayRecorder();
        RelayRecorder after = new RelayRecorder();
        Relay first = Relay.start(AgentFixtures.relay().build());
        first.addObserver(before);
        int port = first.port();
        URI base = URI.create("ws://127.0.0.1:" + port);
        try (Agent agent = new Agent(AgentFixtures.agent(base, "again", null, null)).start()) {
            await(() -> before.packets(1).size() >= 40, 20_000);
            long dropNanos = System.nanoTime();
            first.close();
            List<MediaPacket> videoBefore = before.packets(1);
            List<MediaPacket> audioBefore = before.packets(2);
            try (Relay second = Relay.start(AgentFixtures.relay().port(port).build())) {
                second.addObserver(after);
                await(() -> !after.packets(1).isEmpty(), 5_000);
                long resumedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - dropNanos);
                assertThat(resumedMillis).as("ms from the drop to the first video packet on the new relay").isLessThan(2_000);

                List<RelayRecorder.Event> events = after.snapshot();
                int firstVideo = 0;
                while (events.get(firstVideo).packet() == null || events.get(firstVideo).packet().getTrackId() != 1) {
                    firstVideo++;
                }
                assertThat(events.subList(0, firstVideo)).as("configs come again before media")
                        .anyMatch(e -> e.config() != null && e.config().getTrackId() == 1);
                MediaPacket resumed = events.get(firstVideo).packet();
                assertThat(resumed.getKeyframe()).as("video resumes at a keyframe").isTrue();
                assertThat(resumed.getSequence()).as("sequences keep increasing across connections")
                        .isGreaterThan(videoBefore.get(videoBefore.size() - 1).getSequence());
                await(() -> after.packets(2).size() >= 5, 5_000);
                assertThat(after.packets(2).get(0).getSequence())
                        .isGreaterThan(audioBefore.get(audioBefore.size() - 1).getSequence());
                assertThat(after.packets(2).get(0).getPtsMicros())
                        .isGreaterThan(audioBefore.get(audioBefore.size() - 1).getPtsMicros());
                // the closing relay still accepts for its 300 ms grace, so the agent may have tried it once more
                assertThat(agent.stats().reconnects()).isGreaterThanOrEqualTo(1);
                assertThat(agent.stats().connected()).isTrue();
            }
        } finally {
            first.close();
        }
    }

    static void await(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within " + timeoutMillis + " ms");
            }
            Thread.sleep(20);
        }
    }
}
