package dev.tunnelcast.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.agent.clock.ClockOffsetEstimator;
import dev.tunnelcast.agent.clock.LocalClock;
import dev.tunnelcast.agent.encode.OpusSettings;
import dev.tunnelcast.agent.encode.VideoEncoderSettings;
import dev.tunnelcast.agent.publish.MediaSink;
import dev.tunnelcast.agent.publish.PublisherConfig;
import dev.tunnelcast.agent.publish.TlsSettings;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.TrackConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real capture path runs before the relay's first Pong (the agent connects while it
 * already captures): nothing it captured then may reach the publisher, because its capture
 * time could not be put on the relay clock. The sink stands in for the publisher and keeps
 * everything, so whatever the pipeline hands on is seen.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // native calls ignore interrupts
class CaptureBeforeClockTest {

    static final long OFFSET_MICROS = 7_000_000; // the relay clock is 7 s ahead of ours

    @Test
    void whatWasCapturedBeforeTheFirstClockEstimateIsNeverHandedOn() throws Exception {
        LocalClock clock = LocalClock.system();
        ClockOffsetEstimator offset = new ClockOffsetEstimator(10_000_000);
        List<MediaPacket> video = Collections.synchronizedList(new ArrayList<>());
        List<MediaPacket> audio = Collections.synchronizedList(new ArrayList<>());
        MediaSink sink = new MediaSink() {
            @Override
            public void onTrackConfigs(List<TrackConfig> configs) {
                // announced before capture starts; not what this test is about
            }

            @Override
            public void onMedia(MediaPacket p) {
                (p.getTrackId() == CapturePipeline.VIDEO_TRACK ? video : audio).add(p);
            }
        };
        VideoEncoderSettings vs = new VideoEncoderSettings("libx264", 320, 180, 30, 500_000, 0, "ultrafast", "high",
                "", 30, 1);
        PublisherConfig unused = new PublisherConfig(URI.create("ws://127.0.0.1:9"), "test", "", null,
                TlsSettings.defaults(), 1 << 20, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(100),
                Duration.ofSeconds(1), Duration.ofSeconds(2), "test");
        AgentConfig config = AgentConfig.builder(unused).videoEncoder(vs).opus(OpusSettings.defaults()).build();
        long pongAtLocal;
        CapturePipeline pipeline = new CapturePipeline(config, clock, offset, sink, e -> { });
        try (pipeline) {
            pipeline.start();
            // both sources captured while there was no clock estimate: dropped and counted
            while (pipeline.videoFramesBeforeClock() < 10 || pipeline.audioChunksBeforeClock() == 0) {
                Thread.sleep(20);
            }
            pongAtLocal = clock.nowMicros();
            offset.onPong(pongAtLocal, pongAtLocal + OFFSET_MICROS, pongAtLocal + OFFSET_MICROS, pongAtLocal);
            while (video.size() < 30 || audio.size() < 30) {
                Thread.sleep(20);
            }
        }
        long stopLocal = clock.nowMicros();
        for (List<MediaPacket> track : List.of(List.copyOf(video), List.copyOf(audio))) {
            for (MediaPacket p : track) {
                // audio packets may carry samples from up to one chunk before the Pong
                assertThat(p.getCaptureTimeMicros()).as("capture time of track " + p.getTrackId() + " #" + p.getSequence())
                        .isBetween(pongAtLocal + OFFSET_MICROS - 200_000, stopLocal + OFFSET_MICROS);
            }
        }
        assertThat(video.get(0).getKeyframe()).as("video starts at a keyframe").isTrue();
        assertThat(video.get(0).getSequence()).as("sequence numbers count what is handed on").isZero();
        assertThat(audio.get(0).getSequence()).isZero();
    }
}
