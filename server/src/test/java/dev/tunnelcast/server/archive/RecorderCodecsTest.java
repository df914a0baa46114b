package dev.tunnelcast.server.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.TrackKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * VP9 and AV1 recorded through the same fMP4 path, checked by ffprobe; VP8, which FFmpeg's
 * MP4 muxer does not take, is left out of the recording with a log line and a metric.
 */
class RecorderCodecsTest {

    private static final long WALL_START_MICROS = 1_790_000_000_000_000L;

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"vp9, vp9", "av1, av1"})
    void recordsTheCodecIntoSegmentsThatFfprobeReadsWhole(String codec, String ffprobeName) throws Exception {
        MediaFixture media = MediaFixture.generate(4, 30, codec);
        Archive archive = Archive.start(ArchiveConfig.defaults(dir), new SimpleMeterRegistry());
        media.publish(archive.observer(), "cam1", "s1", WALL_START_MICROS);
        archive.observer().publisherStopped("cam1", "s1");
        archive.close();

        List<SegmentInfo> segments = archive.index().list("cam1", Long.MIN_VALUE, Long.MAX_VALUE);
        assertThat(segments).hasSize(1);
        SegmentInfo segment = segments.get(0);
        assertThat(segment.codecs()).containsExactly(media.tracks().get(0).getCodec(), "opus");
        long sentVideo = media.count(TrackKind.TRACK_KIND_VIDEO, media.firstKeyframePts());
        assertThat(sentVideo).isEqualTo(120);
        assertThat(segment.videoFrames()).isEqualTo(sentVideo);

        Path file = archive.index().mediaFile(segment);
        Tools.ProbeStream video = Tools.ffprobe(file.toString()).stream("video");
        assertThat(video.codec()).isEqualTo(ffprobeName);
        assertThat((long) video.ptsSeconds().size()).isEqualTo(sentVideo);
        RecorderTest.assertStrictlyIncreasing(video.ptsSeconds());
        assertThat(Tools.decodedFrames(file.toString())).as("frames ffmpeg decodes").isEqualTo(sentVideo);
        assertThat(Fmp4Layout.read(file).fragments()).hasSizeBetween(4, 6);
    }

    @Test
    void vp8WhichMp4CannotHoldIsLeftOutWithALogLineAndAMetricAndTheAudioIsRecorded() throws Exception {
        MediaFixture media = MediaFixture.generate(4, 30, "vp8");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Archive archive = Archive.start(ArchiveConfig.defaults(dir), registry);
        media.publish(archive.observer(), "cam1", "s1", WALL_START_MICROS);
        archive.close();

        assertThat(registry.get("tunnelcast.archive.tracks.unrecorded").tag("codec", "vp8").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("tunnelcast.archive.packets.discarded").tag("reason", "unsupported-track").counter()
                .count()).isEqualTo(media.count(TrackKind.TRACK_KIND_VIDEO, Long.MIN_VALUE));
        SegmentInfo segment = archive.index().all().get(0);
        assertThat(segment.codecs()).containsExactly("opus");
        assertThat(Tools.ffprobe(archive.index().mediaFile(segment).toString()).streams()).hasSize(1);
    }
}
