package dev.tunnelcast.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.agent.capture.FrameStamp;
import dev.tunnelcast.agent.clock.ClockOffsetEstimator;
import dev.tunnelcast.agent.clock.LocalClock;
import dev.tunnelcast.agent.encode.H264Bitstream;
import dev.tunnelcast.agent.encode.OpusHead;
import dev.tunnelcast.agent.encode.OpusSettings;
import dev.tunnelcast.agent.encode.VideoEncoderSettings;
import dev.tunnelcast.agent.publish.MediaSink;
import dev.tunnelcast.agent.publish.PublisherConfig;
import dev.tunnelcast.agent.publish.TlsSettings;
import dev.tunnelcast.agent.testing.FFmpegDecoder;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.TrackKind;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the real capture path (lavfi synthetic source, paced in real time → x264 → AVCC;
 * sine → Opus) for a few seconds and checks the output by decoding it with FFmpeg.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // native calls ignore interrupts
class CapturePipelineTest {

    static final int WIDTH = 640;
    static final int HEIGHT = 360;
    static final int FPS = 30;
    static final int GOP = 30;
    static final long OFFSET_MICROS = 12_345_678; // the relay clock is ~12 s ahead of ours

    static final List<TrackConfig> configs = Collections.synchronizedList(new ArrayList<>());
    static final List<MediaPacket> video = Collections.synchronizedList(new ArrayList<>());
    static final List<MediaPacket> audio = Collections.synchronizedList(new ArrayList<>());
    static long startLocalMicros;
    static long stopLocalMicros;

    @BeforeAll
    static void captureThreeSeconds() throws Exception {
        LocalClock clock = LocalClock.system();
        ClockOffsetEstimator offset = new ClockOffsetEstimator(10_000_000);
        long now = clock.nowMicros();
        offset.onPong(now, now + OFFSET_MICROS, now + OFFSET_MICROS, now); // a zero-RTT exchange

        VideoEncoderSettings vs = new VideoEncoderSettings("libx264", WIDTH, HEIGHT, FPS, 1_500_000, 0,
                "ultrafast", "high", "", GOP, 0);
        PublisherConfig unused = new PublisherConfig(URI.create("ws://127.0.0.1:9"), "test", "", null,
                TlsSettings.defaults(), 1 << 20, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(100),
                Duration.ofSeconds(1), Duration.ofSeconds(2), "test");
        AgentConfig config = AgentConfig.builder(unused).videoEncoder(vs).opus(OpusSettings.defaults()).build();
        MediaSink sink = new MediaSink() {
            @Override
            public void onTrackConfigs(List<TrackConfig> c) {
                configs.addAll(c);
            }

            @Override
            public void onMedia(MediaPacket p) {
                if (p.getTrackId() == CapturePipeline.VIDEO_TRACK) {
                    video.add(p);
                } else {
                    audio.add(p);
                }
            }
        };
        try (CapturePipeline pipeline = new CapturePipeline(config, clock, offset, sink, e -> { })) {
            startLocalMicros = clock.nowMicros();
            pipeline.start();
            Thread.sleep(3000);
        }
        stopLocalMicros = clock.nowMicros(); // after close: the sources have stopped
    }

    TrackConfig config(TrackKind kind) {
        return configs.stream().filter(c -> c.getKind() == kind).findFirst().orElseThrow();
    }

    @Test
    void announcesBothTracksWithCodecStringsAndDecoderConfigs() {
        assertThat(configs).hasSize(2);
        TrackConfig v = config(TrackKind.TRACK_KIND_VIDEO);
        assertThat(v.getTrackId()).isEqualTo(1);
        assertThat(v.getWidth()).isEqualTo(WIDTH);
        assertThat(v.getHeight()).isEqualTo(HEIGHT);
        byte[] avcC = v.getDecoderConfig().toByteArray();
        assertThat(avcC[0]).isEqualTo((byte) 1);
        assertThat(v.getCodec()).isEqualTo(String.format("avc1.%02X%02X%02X", avcC[1], avcC[2], avcC[3]));
        assertThat(avcC[4] & 0xFF).as("4-byte NAL lengths").isEqualTo(0xFF);

        TrackConfig a = config(TrackKind.TRACK_KIND_AUDIO);
        assertThat(a.getTrackId()).isEqualTo(2);
        assertThat(a.getCodec()).isEqualTo("opus");
        OpusHead head = OpusHead.parse(a.getDecoderConfig().toByteArray());
        assertThat(head.channels()).isEqualTo(2);
        assertThat(head.inputSampleRate()).isEqualTo(48_000);
        assertThat(head.preSkipSamples()).isBetween(1, 2000);
    }

    @Test
    void videoHasTheExpectedFramesInRealTimeWithKeyframesWhereTheGopSays() {
        List<MediaPacket> v = List.copyOf(video);
        // real time: no more frames than the wall time the sources ran allows (the lavfi graph starts
        // inside start(), which itself takes a moment on a loaded machine), and not far fewer
        long ranMicros = stopLocalMicros - startLocalMicros;
        assertThat(v.size()).as("frames in " + ranMicros + " µs at 30 fps")
                .isBetween(75, (int) (ranMicros * FPS / 1_000_000) + 2);
        for (int i = 0; i < v.size(); i++) {
            MediaPacket p = v.get(i);
            assertThat(p.getSequence()).isEqualTo(i);
            assertThat(p.getKeyframe()).as("keyframe flag of frame " + i).isEqualTo(i % GOP == 0);
            assertThat(p.getDurationMicros()).isEqualTo(1_000_000 / FPS);
            assertThat(H264Bitstream.isAnnexB(p.getPayload().toByteArray())).isFalse();
            List<byte[]> nals = H264Bitstream.splitAvcc(p.getPayload().toByteArray());
            int sliceType = i % GOP == 0 ? H264Bitstream.NAL_IDR : 1;
            assertThat(nals).anyMatch(n -> H264Bitstream.nalType(n) == sliceType);
            if (i > 0) {
                long step = p.getPtsMicros() - v.get(i - 1).getPtsMicros();
                assertThat(step).as("pts strictly increasing at frame " + i).isPositive();
                if (i > FPS) {
                    // past the first second the source timeline has settled: one frame apart
                    assertThat(step).as("pts step at frame " + i).isBetween(25_000L, 42_000L);
                }
            }
        }
        long span = v.get(v.size() - 1).getPtsMicros() - v.get(0).getPtsMicros();
        assertThat((double) (v.size() - 1) * 1_000_000 / span).as("frame rate from pts").isBetween(27.0, 33.0);
    }

    @Test
    void ffmpegDecodesEveryAccessUnitGivenOnlyTheAvcCAndTheStampMatchesTheCaptureTime() {
        List<MediaPacket> v = List.copyOf(video);
        List<FFmpegDecoder.Picture> pictures = new ArrayList<>();
        try (FFmpegDecoder decoder = FFmpegDecoder.h264(config(TrackKind.TRACK_KIND_VIDEO).getDecoderConfig().toByteArray())) {
            for (MediaPacket p : v) {
                pictures.addAll(decoder.decodeVideo(p.getPayload().toByteArray(), p.getPtsMicros()));
            }
        }
        assertThat(pictures).hasSize(v.size()); // zerolatency: one picture out per access unit in
        for (int i = 0; i < v.size(); i++) {
            FFmpegDecoder.Picture pic = pictures.get(i);
            assertThat(pic.width()).isEqualTo(WIDTH);
            assertThat(pic.height()).isEqualTo(HEIGHT);
            long stamped = FrameStamp.read(pic.luma(), pic.width(), pic.width());
            assertThat(stamped).as("stamp of frame " + i).isEqualTo(FrameStamp.valueOf(v.get(i).getCaptureTimeMicros()));
        }
    }

    @Test
    void captureTimesAreOnTheRelayClockAndShareTheTimelineWithPts() {
        for (List<MediaPacket> track : List.of(List.copyOf(video), List.copyOf(audio))) {
            for (MediaPacket p : track) {
                assertThat(p.getCaptureTimeMicros()).isBetween(startLocalMicros + OFFSET_MICROS - 200_000,
                        stopLocalMicros + OFFSET_MICROS + 200_000);
            }
            // capture time − pts: one constant per track for video (source timeline), within a
            // few ms for audio (its capture times follow the min-delay estimate, which may creep
            // up by 100 µs a chunk after a source clock slower than ours)
            long base = track.get(0).getCaptureTimeMicros() - track.get(0).getPtsMicros();
            for (MediaPacket p : track.subList(track.size() / 2, track.size())) {
                assertThat(p.getCaptureTimeMicros() - p.getPtsMicros()).isBetween(base - 30_000, base + 2_000);
            }
        }
        long videoBase = video.get(video.size() - 1).getCaptureTimeMicros() - video.get(video.size() - 1).getPtsMicros();
        long audioBase = audio.get(audio.size() - 1).getCaptureTimeMicros() - audio.get(audio.size() - 1).getPtsMicros();
        assertThat(Math.abs(videoBase - audioBase)).as("one media clock: audio and video within lip-sync tolerance")
                .isLessThanOrEqualTo(40_000);
    }

    @Test
    void audioIsTwentyMillisecondOpusPacketsThatFfmpegDecodes() {
        List<MediaPacket> a = List.copyOf(audio);
        long ranMicros = stopLocalMicros - startLocalMicros;
        assertThat(a.size()).as("20 ms packets in " + ranMicros + " µs").isBetween(120, (int) (ranMicros / 20_000) + 2);
        byte[] opusHead = config(TrackKind.TRACK_KIND_AUDIO).getDecoderConfig().toByteArray();
        int preSkip = OpusHead.parse(opusHead).preSkipSamples();
        try (FFmpegDecoder decoder = FFmpegDecoder.opus(opusHead)) {
            for (int i = 0; i < a.size(); i++) {
                MediaPacket p = a.get(i);
                assertThat(p.getSequence()).isEqualTo(i);
                assertThat(p.getDurationMicros()).isEqualTo(20_000);
                if (i > 0) {
                    assertThat(p.getPtsMicros() - a.get(i - 1).getPtsMicros()).isEqualTo(20_000);
                }
                assertThat(decoder.decodeAudio(p.getPayload().toByteArray(), p.getPtsMicros()))
                        .as("samples decoded from packet " + i).isEqualTo(i == 0 ? 960 - preSkip : 960);
            }
            assertThat(decoder.channels()).isEqualTo(2);
        }
    }
}
