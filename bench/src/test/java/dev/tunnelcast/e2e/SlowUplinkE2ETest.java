package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.agent.Agent;
import dev.tunnelcast.agent.AgentConfig;
import dev.tunnelcast.agent.AgentStats;
import dev.tunnelcast.bench.impair.ImpairmentProxy;
import dev.tunnelcast.bench.impair.LinkProfile;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.server.Relay;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The uplink (an {@link ImpairmentProxy} capping the TCP hop to the real relay) carries 600 kb/s; the encoder makes
 * 2 Mb/s. Capture must not slow down, video must be dropped up to keyframes (what the
 * relay gets resumes at a keyframe after every gap), audio must get through, and
 * {@code --adaptive} must lower the encoder's bitrate.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // native calls ignore interrupts
class SlowUplinkE2ETest {

    @Test
    void dropsVideoToKeyframesKeepsAudioAndLowersTheBitrate() throws Exception {
        RelayRecorder recorder = new RelayRecorder();
        AgentStats stats;
        try (Relay relay = Relay.start(AgentFixtures.relay().build());
             ImpairmentProxy link = ImpairmentProxy.start(relay.port(), LinkProfile.clean().withCap(600_000),
                     LinkProfile.clean(), 8 * 1024, 1)) {
            relay.addObserver(recorder);
            AgentConfig base = AgentFixtures.agent(URI.create("ws://127.0.0.1:" + link.port()), "slow", null, null);
            AgentConfig config = new AgentConfig(base.video(), base.audio(), base.input(),
                    new dev.tunnelcast.agent.encode.VideoEncoderSettings("libx264", 640, 360, 30, 2_000_000, 0,
                            "ultrafast", "high", "", 30, 1),
                    base.opus(), true, true, base.publisher());
            try (Agent agent = new Agent(config).start()) {
                ReconnectE2ETest.await(() -> agent.stats().connected(), 10_000);
                long framesAtStart = agent.stats().videoFramesCaptured();
                long t0 = System.nanoTime();
                Thread.sleep(6_000);
                double seconds = (System.nanoTime() - t0) / 1e9;
                stats = agent.stats();
                System.out.println("slow uplink: " + stats);
                assertThat((stats.videoFramesCaptured() - framesAtStart) / seconds).as("capture fps under a slow uplink")
                        .isGreaterThan(25);
            }
        }
        assertThat(stats.videoDropped()).as("video dropped").isPositive();
        assertThat(stats.videoEncoderBitrateBps()).as("adaptive bitrate").isLessThan(2_000_000);

        List<MediaPacket> video = recorder.packets(1);
        assertThat(video).isNotEmpty();
        assertThat(video.get(0).getKeyframe()).isTrue();
        int gaps = 0;
        for (int i = 1; i < video.size(); i++) {
            if (video.get(i).getSequence() != video.get(i - 1).getSequence() + 1) {
                gaps++;
                assertThat(video.get(i).getKeyframe()).as("video after a gap (sequence " + video.get(i).getSequence()
                        + ") resumes at a keyframe").isTrue();
            }
        }
        assertThat(gaps).as("the relay saw video gaps").isPositive();
        List<MediaPacket> audio = recorder.packets(2);
        long audioGaps = 0;
        for (int i = 1; i < audio.size(); i++) {
            audioGaps += audio.get(i).getSequence() - audio.get(i - 1).getSequence() - 1;
        }
        assertThat(audioGaps).as("audio packets lost while video was dropped").isLessThanOrEqualTo(audio.size() / 10);
    }
}
