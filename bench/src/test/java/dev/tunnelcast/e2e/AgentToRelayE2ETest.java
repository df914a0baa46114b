package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.agent.Agent;
import dev.tunnelcast.agent.AgentStats;
import dev.tunnelcast.agent.clock.LocalClock;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.StatusCode;
import dev.tunnelcast.proto.v1.TrackKind;
import dev.tunnelcast.server.Relay;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real agent (synthetic source, x264, Opus) publishes to the real relay; a real
 * WebSocket player receives the stream. The agent's clock is set 7 s behind the relay's,
 * so capture times are only right if its ping/pong offset estimate works.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // native calls ignore interrupts
class AgentToRelayE2ETest {

    static final long SKEW_MICROS = -7_000_000;

    @Test
    void playerGetsConfigsFirstThenPacketsInOrderWithCaptureTimesOnTheRelayClock() throws Exception {
        RelayRecorder recorder = new RelayRecorder();
        try (Relay relay = Relay.start(AgentFixtures.relay().build())) {
            relay.addObserver(recorder);
            URI base = URI.create("ws://127.0.0.1:" + relay.port());
            LocalClock system = LocalClock.system();
            LocalClock skewed = () -> system.nowMicros() + SKEW_MICROS;
            List<TestSubscriber.Received> got = new ArrayList<>();
            AgentStats stats;
            try (TestSubscriber player = TestSubscriber.connect(URI.create(base + "/ws/play/e2e"));
                 Agent agent = new Agent(AgentFixtures.agent(base, "e2e", null, null), skewed).start()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (countPackets(got) < 90 && System.nanoTime() < deadline) {
                    TestSubscriber.Received r = player.received.poll(200, TimeUnit.MILLISECONDS);
                    if (r != null) {
                        got.add(r);
                    }
                }
                stats = agent.stats();
                // a clean stop: EndOfStream and a normal close, so the player hears at once
                agent.close();
                long stopDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                boolean offline = false;
                while (!offline && System.nanoTime() < stopDeadline) {
                    TestSubscriber.Received r = player.received.poll(100, TimeUnit.MILLISECONDS);
                    offline = r != null && r.envelope().hasStatus()
                            && r.envelope().getStatus().getCode() == StatusCode.STATUS_CODE_STREAM_OFFLINE;
                }
                assertThat(offline).as("the player is told the stream went offline after the agent stopped").isTrue();
            }
            assertThat(countPackets(got)).as("packets reached the player").isGreaterThanOrEqualTo(90);

            // Welcome, then configs for both tracks before the first media packet
            assertThat(got.get(0).envelope().hasWelcome()).isTrue();
            int firstPacket = indexOfFirst(got, Envelope.KindCase.MEDIA_PACKET);
            List<TrackKind> configsBefore = got.subList(0, firstPacket).stream().map(TestSubscriber.Received::envelope)
                    .filter(Envelope::hasTrackConfig).map(e -> e.getTrackConfig().getKind()).toList();
            assertThat(configsBefore).contains(TrackKind.TRACK_KIND_VIDEO, TrackKind.TRACK_KIND_AUDIO);
            assertThat(got.get(firstPacket).envelope().getMediaPacket())
                    .satisfies(p -> assertThat(p.getTrackId() != 1 || p.getKeyframe()).as("video starts at a keyframe").isTrue());

            // per track: sequence strictly increasing by one, pts increasing
            Map<Integer, MediaPacket> last = new HashMap<>();
            for (TestSubscriber.Received r : got) {
                if (!r.envelope().hasMediaPacket()) {
                    continue;
                }
                MediaPacket p = r.envelope().getMediaPacket();
                MediaPacket prev = last.put(p.getTrackId(), p);
                if (prev != null) {
                    assertThat(p.getSequence()).isEqualTo(prev.getSequence() + 1);
                    assertThat(p.getPtsMicros()).isGreaterThan(prev.getPtsMicros());
                }
                // capture times on the relay clock: in the past, and recent (loopback, no jitter buffer)
                long age = r.arrivedAtMicros() - p.getCaptureTimeMicros();
                assertThat(age).as("player arrival − capture time, track " + p.getTrackId()).isBetween(-5_000L, 800_000L);
            }
            // what the relay received: capture time before receive time on the relay's own clock
            for (RelayRecorder.Event e : recorder.snapshot()) {
                if (e.packet() != null) {
                    long transit = e.receivedAtMicros() - e.packet().getCaptureTimeMicros();
                    assertThat(transit).as("relay receive − capture").isBetween(-5_000L, 800_000L);
                }
            }
            assertThat(stats.clockOffsetMicros()).as("estimated offset").isBetween(-SKEW_MICROS - 5_000, -SKEW_MICROS + 5_000);
            assertThat(stats.rttMicros()).isBetween(0L, 100_000L);
        }
    }

    /**
     * The relay's Pongs are lost (a {@link FrameGate} on the TCP hop passes only its Welcome), so
     * the agent goes live after its connect timeout with no clock estimate while it captures.
     * Nothing may leave it with a capture time off the relay clock (that would be off by the
     * whole skew): media waits for the first Pong that gets through, then starts at a keyframe.
     */
    @Test
    void noPacketLeavesTheAgentBeforeItsClockOffsetIsKnown() throws Exception {
        RelayRecorder recorder = new RelayRecorder();
        AgentStats stats;
        try (Relay relay = Relay.start(AgentFixtures.relay().build()); FrameGate gate = FrameGate.start(relay.port())) {
            relay.addObserver(recorder);
            LocalClock system = LocalClock.system();
            LocalClock skewed = () -> system.nowMicros() + SKEW_MICROS;
            URI base = URI.create("ws://127.0.0.1:" + gate.port());
            try (Agent agent = new Agent(AgentFixtures.agent(base, "no-pong", null, null), skewed).start()) {
                ReconnectE2ETest.await(() -> agent.stats().connected(), 20_000); // after the connect timeout
                long framesAtLive = agent.stats().videoFramesCaptured();
                ReconnectE2ETest.await(() -> agent.stats().videoFramesCaptured() >= framesAtLive + 10, 10_000);
                assertThat(agent.stats().videoPacketsSent()).as("video sent with no Pong yet").isZero();
                assertThat(agent.stats().audioPacketsSent()).as("audio sent with no Pong yet").isZero();
                assertThat(gate.discardedMessages()).as("Pongs lost").isPositive();
                gate.open();
                ReconnectE2ETest.await(() -> recorder.packets(1).size() >= 30 && recorder.packets(2).size() >= 30, 20_000);
                stats = agent.stats();
            }
        }
        for (RelayRecorder.Event e : recorder.snapshot()) {
            if (e.packet() != null) {
                long transit = e.receivedAtMicros() - e.packet().getCaptureTimeMicros();
                assertThat(transit).as("relay receive − capture, track " + e.packet().getTrackId()).isBetween(-5_000L, 800_000L);
            }
        }
        assertThat(recorder.packets(1).get(0).getKeyframe()).as("video starts at a keyframe").isTrue();
        assertThat(stats.videoFramesBeforeClock()).as("frames captured before the first Pong").isGreaterThanOrEqualTo(10);
        assertThat(stats.audioChunksBeforeClock()).isPositive();
    }

    static long countPackets(List<TestSubscriber.Received> got) {
        return got.stream().filter(r -> r.envelope().hasMediaPacket()).count();
    }

    static int indexOfFirst(List<TestSubscriber.Received> got, Envelope.KindCase kind) {
        for (int i = 0; i < got.size(); i++) {
            if (got.get(i).envelope().getKindCase() == kind) {
                return i;
            }
        }
        throw new AssertionError("no " + kind);
    }
}
