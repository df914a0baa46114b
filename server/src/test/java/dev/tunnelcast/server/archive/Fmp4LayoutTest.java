package dev.tunnelcast.server.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fragment layout of a real recording with the agent's 2 s GOP, and the playlist built on it. */
class Fmp4LayoutTest {

    @TempDir
    Path dir;

    @Test
    void fragmentsAreAboutOneSecondAndPlaylistSegmentsStartAtKeyframes() throws Exception {
        Archive archive = Archive.start(ArchiveConfig.defaults(dir), new SimpleMeterRegistry());
        MediaFixture.generate(10, 60).publish(archive.observer(), "cam1", "s1", 1_790_000_000_000_000L);
        archive.close();
        SegmentInfo segment = archive.index().all().get(0);
        Path file = archive.index().mediaFile(segment);

        Fmp4Layout layout = Fmp4Layout.read(file);
        assertThat(layout.initLength()).isPositive();
        assertThat(layout.fragments()).hasSizeBetween(10, 11);
        assertThat(layout.fragments()).allSatisfy(f -> assertThat(f.durationSeconds()).isBetween(0.0, 1.1));
        assertThat(layout.fragments().stream().mapToDouble(Fmp4Layout.Fragment::durationSeconds).sum())
                .isBetween(9.95, 10.05);
        // keyframes at 0, 2, 4, 6 and 8 s start fragments; the others start mid-GOP
        assertThat(layout.fragments().stream().filter(Fmp4Layout.Fragment::startsWithKeyframe)).hasSize(5);
        assertThat(layout.fragments().get(0).startsWithKeyframe()).isTrue();
        assertThat(layout.completeLength()).isLessThanOrEqualTo(Files.size(file)); // the rest is the trailer (mfra)

        List<HlsPlaylist.MediaSegment> media = HlsPlaylist.mediaSegments(layout.fragments());
        assertThat(media).hasSize(5).allSatisfy(m -> assertThat(m.durationSeconds()).isBetween(1.95, 2.05));
        for (int i = 1; i < media.size(); i++) {
            assertThat(media.get(i).offset()).isEqualTo(media.get(i - 1).offset() + media.get(i - 1).length());
        }
        // each media segment decodes on its own: the init part plus its bytes
        byte[] bytes = Files.readAllBytes(file);
        HlsPlaylist.MediaSegment third = media.get(2);
        Path alone = dir.resolve("third.mp4");
        try (var out = Files.newOutputStream(alone)) {
            out.write(bytes, 0, (int) layout.initLength());
            out.write(bytes, (int) third.offset(), (int) third.length());
        }
        Tools.run(List.of("ffmpeg", "-v", "error", "-xerror", "-i", alone.toString(), "-f", "null", "-"), 60);
        assertThat(Tools.ffprobe(alone.toString()).stream("video").ptsSeconds()).hasSize(60);
    }
}
