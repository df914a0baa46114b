package dev.tunnelcast.server.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.TrackKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records real H.264 + Opus packets and checks the files with ffprobe. */
class RecorderTest {

    private static final long WALL_START_MICROS = 1_790_000_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void tenSecondsBecomeOneSegmentThatFfprobeReadsWhole() throws Exception {
        MediaFixture media = MediaFixture.generate(10, 30);
        Archive archive = Archive.start(ArchiveConfig.defaults(dir), new SimpleMeterRegistry());
        media.publish(archive.observer(), "cam1", "s1", WALL_START_MICROS);
        archive.observer().publisherStopped("cam1", "s1");
        archive.close();

        List<SegmentInfo> segments = archive.index().list("cam1", Long.MIN_VALUE, Long.MAX_VALUE);
        assertThat(segments).hasSize(1);
        SegmentInfo segment = segments.get(0);
        assertThat(segment.state()).isEqualTo(SegmentInfo.State.CLOSED);
        assertThat(segment.codecs()).containsExactly(media.tracks().get(0).getCodec(), "opus");

        long firstKey = media.firstKeyframePts();
        long sentVideo = media.count(TrackKind.TRACK_KIND_VIDEO, firstKey);
        long sentAudio = media.count(TrackKind.TRACK_KIND_AUDIO, firstKey);
        assertThat(sentVideo).isEqualTo(300);
        assertThat(segment.videoFrames()).isEqualTo(sentVideo);
        assertThat(segment.audioFrames()).isEqualTo(sentAudio);
        assertThat(segment.durationMicros()).isBetween(9_900_000L, 10_100_000L);

        Tools.Probe probe = Tools.ffprobe(archive.index().mediaFile(segment).toString());
        Tools.ProbeStream video = probe.stream("video");
        Tools.ProbeStream audio = probe.stream("audio");
        assertThat(video.codec()).isEqualTo("h264");
        assertThat(audio.codec()).isEqualTo("opus");
        assertThat((long) video.ptsSeconds().size()).isBetween(sentVideo - 1, sentVideo + 1);
        assertThat((long) audio.ptsSeconds().size()).isBetween(sentAudio - 1, sentAudio + 1);
        assertStrictlyIncreasing(video.ptsSeconds());
        assertStrictlyIncreasing(audio.ptsSeconds());
        assertThat(Math.abs(video.startSeconds() - audio.startSeconds())).isLessThanOrEqualTo(0.040);
    }

    @Test
    void framesCloserThanOneTickOfTheFileAreAllKept() throws Exception {
        // A browser publisher sent two frames less than 11 µs apart (seen in a call's recording): both landed on the same
        // 90 kHz tick, and ffprobe's demuxer read one packet less than the segment said it held.
        MediaFixture media = MediaFixture.generate(10, 30);
        List<MediaPacket> packets = new ArrayList<>(media.packets());
        int second = -1;
        MediaPacket previousVideo = null;
        for (int i = 0; i < packets.size(); i++) {
            MediaPacket p = packets.get(i);
            boolean laterVideo = p.getTrackId() == 1 && !p.getKeyframe() && p.getPtsMicros() > media.firstKeyframePts() + 1_000_000;
            if (laterVideo && previousVideo != null) {
                second = i;
                packets.set(i, p.toBuilder().setPtsMicros(previousVideo.getPtsMicros() + 5).build());
                break;
            }
            if (p.getTrackId() == 1) {
                previousVideo = p;
            }
        }
        assertThat(second).isPositive();
        Archive archive = Archive.start(ArchiveConfig.defaults(dir), new SimpleMeterRegistry());
        new MediaFixture(media.tracks(), packets).publish(archive.observer(), "cam1", "s1", WALL_START_MICROS);
        archive.observer().publisherStopped("cam1", "s1");
        archive.close();

        SegmentInfo segment = archive.index().list("cam1", Long.MIN_VALUE, Long.MAX_VALUE).get(0);
        assertThat(segment.videoFrames()).isEqualTo(media.count(TrackKind.TRACK_KIND_VIDEO, media.firstKeyframePts()));
        Tools.ProbeStream video = Tools.ffprobe(archive.index().mediaFile(segment).toString()).stream("video");
        assertThat((long) video.ptsSeconds().size()).as("packets ffprobe reads").isEqualTo(segment.videoFrames());
        assertStrictlyIncreasing(video.ptsSeconds());
    }

    @Test
    void framesWhoseDurationsRunPastTheNextAreKeptWhereTheyWereSent() throws Exception {
        // A browser publisher under load sent frames that said they lasted 33 ms, the next coming sooner. FFmpeg's
        // muxer starts each fragment where the last one's durations end: it moved the packets behind a fragment's
        // start later, dropped their pts, and a call's recording decoded one frame less than it held.
        MediaFixture media = MediaFixture.generate(10, 30);
        List<MediaPacket> packets = new ArrayList<>();
        for (MediaPacket p : media.packets()) {
            packets.add(p.toBuilder().setDurationMicros(p.getDurationMicros() * 3).build());
        }
        Archive archive = Archive.start(ArchiveConfig.defaults(dir), new SimpleMeterRegistry());
        new MediaFixture(media.tracks(), packets).publish(archive.observer(), "cam1", "s1", WALL_START_MICROS);
        archive.observer().publisherStopped("cam1", "s1");
        archive.close();

        SegmentInfo segment = archive.index().list("cam1", Long.MIN_VALUE, Long.MAX_VALUE).get(0);
        long sentVideo = media.count(TrackKind.TRACK_KIND_VIDEO, media.firstKeyframePts());
        assertThat(segment.videoFrames()).isEqualTo(sentVideo);
        String file = archive.index().mediaFile(segment).toString();
        Tools.Probe probe = Tools.ffprobe(file);
        List<Double> videoPts = probe.stream("video").ptsSeconds();
        assertThat((long) videoPts.size()).as("packets ffprobe reads").isEqualTo(sentVideo);
        assertStrictlyIncreasing(videoPts);
        for (int i = 1; i < videoPts.size(); i++) {
            assertThat(videoPts.get(i) - videoPts.get(i - 1)).as("frame %d's distance from the one before, s", i)
                    .isCloseTo(1.0 / 30, within(0.002));
        }
        List<Double> audioPts = probe.stream("audio").ptsSeconds();
        for (int i = 2; i < audioPts.size(); i++) { // the first is Opus's pre-skip earlier
            assertThat(audioPts.get(i) - audioPts.get(i - 1)).as("audio packet %d's distance from the one before, s", i)
                    .isCloseTo(0.020, within(0.001));
        }
        assertThat(Tools.decodedFrames(file)).as("frames ffmpeg decodes").isEqualTo(sentVideo);
    }

    @Test
    void rotationCutsAtKeyframesWithoutGapOrOverlap() throws Exception {
        MediaFixture media = MediaFixture.generate(10, 30); // a keyframe every second
        Archive archive = Archive.start(ArchiveConfig.defaults(dir).withSegmentDuration(Duration.ofSeconds(3)),
                new SimpleMeterRegistry());
        media.publish(archive.observer(), "cam1", "s1", WALL_START_MICROS);
        archive.close();

        List<SegmentInfo> segments = archive.index().list("cam1", Long.MIN_VALUE, Long.MAX_VALUE);
        // cuts at the keyframes of seconds 3, 6 and 9: 3 + 3 + 3 + 1 seconds
        assertThat(segments).hasSize(4);
        assertThat(segments).extracting(SegmentInfo::closeReason)
                .containsExactly("rotation", "rotation", "rotation", "shutdown");
        long totalVideo = 0;
        for (int i = 0; i < segments.size(); i++) {
            SegmentInfo s = segments.get(i);
            Tools.ProbeStream video = Tools.ffprobe(archive.index().mediaFile(s).toString()).stream("video");
            assertThat((long) video.ptsSeconds().size()).isEqualTo(s.videoFrames());
            totalVideo += video.ptsSeconds().size();
            if (i > 0) {
                long gap = s.startWallMicros() - segments.get(i - 1).endWallMicros();
                assertThat(Math.abs(gap)).as("gap between segment %d and %d", i - 1, i)
                        .isLessThanOrEqualTo(MediaFixture.FRAME_MICROS);
            }
        }
        assertThat(totalVideo).isEqualTo(media.count(TrackKind.TRACK_KIND_VIDEO, media.firstKeyframePts()));
    }

    @Test
    void aChangedTrackConfigOrPublisherStartsANewSegment() throws Exception {
        MediaFixture media = MediaFixture.generate(10, 30);
        Archive archive = Archive.start(ArchiveConfig.defaults(dir), new SimpleMeterRegistry());
        media.publish(archive.observer(), "cam1", "s1", WALL_START_MICROS);
        // a new bitrate alone leaves the file valid: no new segment
        archive.observer().trackConfig("cam1", media.tracks().get(0).toBuilder().setBitrate(123_000).build());
        // a new resolution (or decoder config) needs a new file
        archive.observer().trackConfig("cam1", media.tracks().get(0).toBuilder().setWidth(640).setHeight(480).build());
        media.publish(archive.observer(), "cam1", "s2", WALL_START_MICROS + 20_000_000);
        archive.close();

        assertThat(archive.index().list("cam1", Long.MIN_VALUE, Long.MAX_VALUE))
                .extracting(SegmentInfo::closeReason, SegmentInfo::publisherSession)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("track-config-change", "s1"),
                        org.assertj.core.groups.Tuple.tuple("shutdown", "s2"));
    }

    @Test
    void anAudioOnlyStreamIsRecordedFromItsFirstPacket() throws Exception {
        MediaFixture media = MediaFixture.generate(10, 30);
        Archive archive = Archive.start(ArchiveConfig.defaults(dir), new SimpleMeterRegistry());
        archive.observer().publisherStarted("radio", "s1");
        archive.observer().trackConfig("radio", media.tracks().get(1));
        media.packets().stream().filter(p -> p.getTrackId() == 2)
                .forEach(p -> archive.observer().mediaPacket("radio", p, p.getPtsMicros()));
        archive.close();

        SegmentInfo segment = archive.index().all().get(0);
        assertThat(segment.codecs()).containsExactly("opus");
        assertThat(segment.audioFrames()).isEqualTo(media.count(TrackKind.TRACK_KIND_AUDIO, Long.MIN_VALUE));
        Tools.Probe probe = Tools.ffprobe(archive.index().mediaFile(segment).toString());
        assertThat(probe.streams()).hasSize(1);
        assertThat((long) probe.stream("audio").ptsSeconds().size()).isEqualTo(segment.audioFrames());
        assertThat(Fmp4Layout.read(archive.index().mediaFile(segment)).fragments()).hasSizeBetween(9, 11);
    }

    @Test
    void streamsOutsideTheGlobAreNotRecorded() throws Exception {
        MediaFixture media = MediaFixture.generate(10, 30);
        Archive archive = Archive.start(ArchiveConfig.defaults(dir).withStreamGlob("cam-*"), new SimpleMeterRegistry());
        media.publish(archive.observer(), "lobby", "s1", WALL_START_MICROS);
        archive.close();
        assertThat(archive.index().all()).isEmpty();
        assertThat(Files.exists(dir.resolve("lobby"))).isFalse();
    }

    static void assertStrictlyIncreasing(List<Double> values) {
        for (int i = 1; i < values.size(); i++) {
            assertThat(values.get(i)).as("pts #%d", i).isGreaterThan(values.get(i - 1));
        }
    }
}
