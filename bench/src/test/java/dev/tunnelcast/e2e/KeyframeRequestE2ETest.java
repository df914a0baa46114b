package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.agent.Agent;
import dev.tunnelcast.agent.AgentConfig;
import dev.tunnelcast.agent.encode.VideoEncoderSettings;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.server.Relay;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With a 20 s GOP and a relay whose GOP cache is too small to keep one, a new player makes
 * the relay send KeyframeRequest; the agent answers with a keyframe at once.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // native calls ignore interrupts
class KeyframeRequestE2ETest {

    @Test
    void aNewPlayerGetsAKeyframeLongBeforeTheGopWouldGiveOne() throws Exception {
        RelayRecorder recorder = new RelayRecorder();
        try (Relay relay = Relay.start(AgentFixtures.relay().gopCacheBytes(1_000).build())) {
            relay.addObserver(recorder);
            URI base = URI.create("ws://127.0.0.1:" + relay.port());
            AgentConfig b = AgentFixtures.agent(base, "kf", null, null);
            AgentConfig config = new AgentConfig(b.video(), b.audio(), b.input(),
                    new VideoEncoderSettings("libx264", 640, 360, 30, 1_000_000, 0, "ultrafast", "high", "", 600, 1),
                    b.opus(), true, false, b.publisher());
            try (Agent agent = new Agent(config).start()) {
                ReconnectE2ETest.await(() -> recorder.packets(1).size() >= 45, 20_000); // 1.5 s in: past the first IDR
                long keyframesBefore = recorder.packets(1).stream().filter(MediaPacket::getKeyframe).count();
                assertThat(keyframesBefore).as("only the first frame is a keyframe so far").isEqualTo(1);
                long joined = System.nanoTime();
                try (TestSubscriber player = TestSubscriber.connect(URI.create(base + "/ws/play/kf"))) {
                    ReconnectE2ETest.await(() -> recorder.packets(1).stream().filter(MediaPacket::getKeyframe).count() >= 2,
                            5_000);
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joined);
                    assertThat(millis).as("ms from the player joining to the requested keyframe").isLessThan(1_000);
                    TestSubscriber.Received r;
                    do {
                        r = player.received.poll(5, TimeUnit.SECONDS);
                    } while (r != null && !(r.envelope().hasMediaPacket() && r.envelope().getMediaPacket().getTrackId() == 1));
                    assertThat(r).isNotNull();
                    assertThat(r.envelope().getMediaPacket().getKeyframe()).as("the player's first video is a keyframe").isTrue();
                }
            }
        }
        List<MediaPacket> video = recorder.packets(1);
        assertThat(video.stream().filter(MediaPacket::getKeyframe).count()).isGreaterThanOrEqualTo(2);
    }
}
