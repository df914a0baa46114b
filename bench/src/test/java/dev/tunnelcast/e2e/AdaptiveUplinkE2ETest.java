package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.agent.Agent;
import dev.tunnelcast.agent.AgentConfig;
import dev.tunnelcast.agent.AgentStats;
import dev.tunnelcast.agent.encode.OpusSettings;
import dev.tunnelcast.agent.encode.VideoEncoderSettings;
import dev.tunnelcast.bench.impair.ImpairmentProxy;
import dev.tunnelcast.bench.impair.ImpairmentProxy.Direction;
import dev.tunnelcast.bench.impair.LinkProfile;
import dev.tunnelcast.server.Relay;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code --adaptive} through a 1.5 Mbit/s uplink (an {@link ImpairmentProxy} in front of the
 * real relay, as in {@code bench/run uplink}): the agent, asked for 2.5 Mbit/s of 360p (x264
 * fills it; 720p's encode took so much of a core shared with a CPU hog that the starved sender
 * measured the link at 1.1 Mbit/s and held the bitrate near 1 Mbit/s), must
 * settle its video bitrate between 1.2 and 1.45 Mbit/s within 15 s and stay there, never above
 * the cap. What it asserts is the chosen bitrate (an encoder that falls behind on a busy
 * machine makes less than asked; the estimator then only holds or probes less): its median
 * over 15 to 35 s within the band and no second of it more than 10 % above the cap, and that
 * what crossed the link stayed within the cap. Not every second within the band: on a machine
 * loaded several times over (load 8 to 10 on 2 cores when this was written) a stalled thread
 * looks like a queue for a moment and costs a cut, and the probe after it can overshoot the
 * cap by a few per cent before the delay shows it. Audio is Opus at 32 kbit/s
 * (the browser publisher's default), so the band measures the video's share: the estimator
 * gives video 0.9 times the link's rate less the audio and framing, and with the agent's
 * default 96 kbit/s the low end of its sawtooth sits about 64 kbit/s lower.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // native calls ignore interrupts
class AdaptiveUplinkE2ETest {

    private static final long CAP_BPS = 1_500_000;
    private static final int SETTLE_SECONDS = 15;
    private static final int SECONDS = 35;

    @Test
    void settlesBelowA15MbitUplinkWithin15SecondsAndStays() throws Exception {
        List<Integer> targets = new ArrayList<>();
        List<String> seconds = new ArrayList<>(); // what each second looked like, for a failure's message
        long linkBytesAtSettle;
        long linkBytesAtEnd;
        double measuredSeconds;
        try (Relay relay = Relay.start(AgentFixtures.relay().build());
             ImpairmentProxy link = ImpairmentProxy.start(relay.port(), LinkProfile.clean().withCap(CAP_BPS),
                     LinkProfile.clean())) {
            AgentConfig base = AgentFixtures.agent(URI.create("ws://127.0.0.1:" + link.port()), "adaptive", null, null);
            AgentConfig config = new AgentConfig(base.video(), base.audio(), base.input(),
                    new VideoEncoderSettings("libx264", 640, 360, 30, 2_500_000, 0, "ultrafast", "high", "", 60, 1),
                    new OpusSettings(2, 20, 32_000, 5, false, false), true, true, base.publisher());
            try (Agent agent = new Agent(config).start()) {
                ReconnectE2ETest.await(() -> agent.stats().connected(), 15_000);
                long t0 = System.nanoTime();
                long settledAt = 0;
                linkBytesAtSettle = 0;
                long framesBefore = 0;
                long linkBytesBefore = 0;
                for (int s = 1; s <= SECONDS; s++) {
                    long wait = t0 + s * 1_000_000_000L - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000);
                    }
                    AgentStats stats = agent.stats();
                    long linkBytes = link.stats(Direction.UPSTREAM).bytes();
                    targets.add(stats.videoEncoderBitrateBps());
                    seconds.add(String.format("%d s: video %d k, sent %d k, link %d k, %d fps, rtt %d ms", s,
                            stats.videoEncoderBitrateBps() / 1000, stats.sendBitrateBps() / 1000,
                            (linkBytes - linkBytesBefore) * 8 / 1000, stats.videoPacketsSent() - framesBefore,
                            stats.rttMicros() / 1000));
                    framesBefore = stats.videoPacketsSent();
                    linkBytesBefore = linkBytes;
                    if (s == SETTLE_SECONDS) {
                        settledAt = System.nanoTime();
                        linkBytesAtSettle = link.stats(Direction.UPSTREAM).bytes();
                    }
                }
                linkBytesAtEnd = link.stats(Direction.UPSTREAM).bytes();
                measuredSeconds = (System.nanoTime() - settledAt) / 1e9;
                System.out.printf("adaptive uplink: video bitrate per second %s; %.0f b/s across the link from %d s; %s%n%s%n",
                        targets, (linkBytesAtEnd - linkBytesAtSettle) * 8 / measuredSeconds, SETTLE_SECONDS, agent.stats(),
                        String.join("\n", seconds));
            }
        }
        List<Integer> settled = targets.subList(SETTLE_SECONDS - 1, SECONDS);
        List<Integer> sorted = settled.stream().sorted().toList();
        String perSecond = String.join("; ", seconds);
        assertThat(sorted.get(sorted.size() / 2)).as("median video bitrate from %d s on (per second: %s)", SETTLE_SECONDS, perSecond)
                .isBetween(1_200_000, 1_450_000);
        assertThat(settled).as("from %d s on, never more than 10 %% above the cap (per second: %s)", SETTLE_SECONDS, perSecond)
                .allMatch(bps -> bps <= CAP_BPS * 1.1);
        double deliveredBps = (linkBytesAtEnd - linkBytesAtSettle) * 8 / measuredSeconds;
        assertThat(deliveredBps).as("bits/s across the link once settled").isLessThanOrEqualTo(CAP_BPS * 1.02);
    }
}
