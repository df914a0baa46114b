package dev.tunnelcast.server.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.TrackKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code kill -9} leaves behind: a copy of the archive directory taken while a segment
 * is being written (the index still says RECORDING, the file ends wherever the writer was),
 * then cut in the middle of a fragment. A new archive on that directory repairs it.
 */
class CrashRecoveryTest {

    @TempDir
    Path live;
    @TempDir
    Path crashed;

    @Test
    void anUnfinishedSegmentIsCutToItsLastCompleteFragmentAndMarkedRecovered() throws Exception {
        MediaFixture media = MediaFixture.generate(10, 30);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Archive archive = Archive.start(ArchiveConfig.defaults(live), registry);
        List<MediaPacket> firstSixSeconds = media.packets().stream()
                .filter(p -> p.getPtsMicros() < MediaFixture.TIMELINE_OFFSET_MICROS + 6_000_000).toList();
        archive.observer().publisherStarted("cam1", "s1");
        media.tracks().forEach(t -> archive.observer().trackConfig("cam1", t));
        firstSixSeconds.forEach(p -> archive.observer().mediaPacket("cam1", p, p.getPtsMicros()));
        awaitProcessed(registry, firstSixSeconds.size());
        copyTree(live, crashed); // the state on disk at the moment of the "crash"
        archive.close();
        SegmentInfo closed = archive.index().all().get(0);
        assertThat(closed.state()).isEqualTo(SegmentInfo.State.CLOSED);
        assertThat(Tools.streamedDurationSeconds(live.resolve("cam1").resolve(closed.fileName())))
                .isCloseTo(closed.durationMicros() / 1e6, within(0.05));

        SegmentInfo unfinished = SegmentIndex.load(crashed).all().get(0);
        assertThat(unfinished.state()).isEqualTo(SegmentInfo.State.RECORDING);
        Path file = crashed.resolve("cam1").resolve(unfinished.fileName());
        Fmp4Layout before = Fmp4Layout.read(file);
        assertThat(before.fragments()).hasSizeGreaterThanOrEqualTo(5);
        // and the crash hit in the middle of writing one more fragment:
        Fmp4Layout.Fragment last = before.fragments().get(before.fragments().size() - 1);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(last.offset() + last.length() / 2);
        }

        Archive restarted = Archive.start(ArchiveConfig.defaults(crashed), new SimpleMeterRegistry());
        restarted.close();
        SegmentInfo recovered = restarted.index().all().get(0);
        assertThat(recovered.state()).isEqualTo(SegmentInfo.State.RECOVERED);
        assertThat(recovered.sizeBytes()).isEqualTo(last.offset()).isEqualTo(Files.size(file));
        assertThat(SegmentIndex.load(crashed).all().get(0).state()).isEqualTo(SegmentInfo.State.RECOVERED);

        Tools.ProbeStream video = Tools.ffprobe(file.toString(), "-count_frames").stream("video");
        long decodable = video.ptsSeconds().size();
        // elapsed 6 s: at most the fragment being written and the one we cut may be lost
        assertThat(decodable).isGreaterThanOrEqualTo((long) ((6 - 2) * MediaFixture.FPS));
        assertThat(decodable).isEqualTo(recovered.videoFrames());
        assertThat(decodable).isLessThan(media.count(TrackKind.TRACK_KIND_VIDEO, 0) + 1);
        RecorderTest.assertStrictlyIncreasing(video.ptsSeconds());
        Tools.run(List.of("ffmpeg", "-v", "error", "-xerror", "-i", file.toString(), "-f", "null", "-"), 60);
        // the header states what is left (it said 0: a streaming reader showed the first fragment's 1 s)
        double content = recovered.durationMicros() / 1e6;
        assertThat(content).isGreaterThan(3.5);
        assertThat(Tools.streamedDurationSeconds(file)).isCloseTo(content, within(0.05));
    }

    @Test
    void aFileWithoutACompleteFragmentIsDeleted() throws Exception {
        Path stream = crashed.resolve("cam1");
        Files.createDirectories(stream);
        SegmentIndex index = SegmentIndex.load(crashed);
        SegmentInfo info = new SegmentInfo("20260101T000000000Z", "cam1", "s1", SegmentInfo.State.RECORDING,
                SegmentInfo.Handoff.NOT_REQUIRED, 1, 1, 0, 0, List.of("opus"), 0, 0, null, null);
        index.put(info);
        Files.write(stream.resolve(info.fileName()), new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 1, 2});

        Archive restarted = Archive.start(ArchiveConfig.defaults(crashed), new SimpleMeterRegistry());
        restarted.close();
        assertThat(restarted.index().all()).isEmpty();
        assertThat(stream.resolve(info.fileName())).doesNotExist();
    }

    @Test
    void aClusterNodeRepairsOnlyItsOwnUnfinishedSegments() throws Exception {
        Path stream = crashed.resolve("cam1");
        Files.createDirectories(stream);
        SegmentIndex index = SegmentIndex.load(crashed);
        SegmentInfo theirs = new SegmentInfo("20260101T000000000Z-n2-r7", "cam1", "s1", SegmentInfo.State.RECORDING,
                SegmentInfo.Handoff.NOT_REQUIRED, 1, 1, 0, 0, List.of("opus"), 0, 0, null, "n2");
        SegmentInfo ours = new SegmentInfo("20260101T000001000Z-n1-r9", "cam1", "s2", SegmentInfo.State.RECORDING,
                SegmentInfo.Handoff.NOT_REQUIRED, 1, 1, 0, 0, List.of("opus"), 0, 0, null, "n1");
        for (SegmentInfo info : List.of(theirs, ours)) {
            index.put(info);
            Files.write(stream.resolve(info.fileName()), new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 1, 2});
        }

        Archive restarted = Archive.start(ArchiveConfig.defaults(crashed), new SimpleMeterRegistry(), "n1");
        restarted.close();
        // n1's own has no complete fragment: repaired away; n2's is left as n2 may be writing it (shared storage)
        assertThat(restarted.index().all()).containsExactly(theirs);
        assertThat(SegmentIndex.load(crashed).all()).containsExactly(theirs);
        assertThat(stream.resolve(theirs.fileName())).hasSize(10);
        assertThat(stream.resolve(ours.fileName())).doesNotExist();
    }

    /** Waits until the writer has written or discarded {@code packets} packets. */
    static void awaitProcessed(SimpleMeterRegistry registry, long packets) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (processed(registry) < packets) {
            assertThat(System.nanoTime()).as("writer progress").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static double processed(SimpleMeterRegistry registry) {
        return registry.find("tunnelcast.archive.packets.written").counters().stream().mapToDouble(c -> c.count()).sum()
                + registry.find("tunnelcast.archive.packets.discarded").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
