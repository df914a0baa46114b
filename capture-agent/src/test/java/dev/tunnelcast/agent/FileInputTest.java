package dev.tunnelcast.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.agent.capture.SourceSpec;
import dev.tunnelcast.agent.clock.LocalClock;
import dev.tunnelcast.agent.encode.OpusSettings;
import dev.tunnelcast.agent.encode.VideoEncoderSettings;
import dev.tunnelcast.agent.publish.MediaSink;
import dev.tunnelcast.agent.publish.PublisherConfig;
import dev.tunnelcast.agent.publish.TlsSettings;
import dev.tunnelcast.agent.testing.SameClock;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.TrackConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A media file is looped and paced in real time, with pts that keep increasing across the loop. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // native calls ignore interrupts
class FileInputTest {

    @TempDir
    Path dir;

    @Test
    void aOneSecondFileIsLoopedAndPacedInRealTime() throws Exception {
        Path clip = dir.resolve("clip.mp4");
        writeClip(clip, 30);

        PublisherConfig unused = new PublisherConfig(URI.create("ws://127.0.0.1:9"), "file", "", null,
                TlsSettings.defaults(), 1 << 20, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(100),
                Duration.ofSeconds(1), Duration.ofSeconds(2), "test");
        VideoEncoderSettings vs = new VideoEncoderSettings("libx264", 320, 240, 30, 500_000, 0, "ultrafast", "high",
                "", 30, 1);
        AgentConfig config = AgentConfig.builder(unused).input(SourceSpec.parse("file:" + clip)).videoEncoder(vs)
                .opus(new OpusSettings(1, 20, 64_000, 5, false, false)).build();
        List<MediaPacket> video = Collections.synchronizedList(new ArrayList<>());
        List<MediaPacket> audio = Collections.synchronizedList(new ArrayList<>());
        MediaSink sink = new MediaSink() {
            @Override
            public void onTrackConfigs(List<TrackConfig> configs) {
                assertThat(configs).hasSize(2);
            }

            @Override
            public void onMedia(MediaPacket p) {
                (p.getTrackId() == CapturePipeline.VIDEO_TRACK ? video : audio).add(p);
            }
        };
        List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
        try (CapturePipeline pipeline = new CapturePipeline(config, LocalClock.system(), SameClock.estimator(),
                sink, failures::add)) {
            pipeline.start();
            Thread.sleep(2_600);
        }
        assertThat(failures).isEmpty();
        List<MediaPacket> v = List.copyOf(video);
        assertThat(v.size()).as("2.6 s of a 30-frame file: looped, and not faster than real time").isBetween(65, 82);
        for (int i = 1; i < v.size(); i++) {
            assertThat(v.get(i).getPtsMicros()).isGreaterThan(v.get(i - 1).getPtsMicros());
        }
        assertThat(audio.size()).as("audio keeps flowing across the loop").isGreaterThan(100);
    }

    /** One second of testsrc2 + sine, H.264 + AAC in MP4, written with FFmpeg. */
    static void writeClip(Path file, int frames) throws Exception {
        try (FFmpegFrameGrabber video = new FFmpegFrameGrabber("testsrc2=size=320x240:rate=30");
             FFmpegFrameGrabber sound = new FFmpegFrameGrabber("sine=frequency=440:sample_rate=48000:duration=1");
             FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), 320, 240, 1)) {
            video.setFormat("lavfi");
            sound.setFormat("lavfi");
            video.start();
            sound.start();
            rec.setFormat("mp4");
            rec.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            rec.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
            rec.setFrameRate(30);
            rec.setSampleRate(48_000);
            rec.start();
            for (int i = 0; i < frames; i++) {
                rec.record(video.grabImage());
            }
            Frame samples;
            while ((samples = sound.grabSamples()) != null) {
                rec.record(samples);
            }
        }
    }
}
