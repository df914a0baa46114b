package dev.tunnelcast.server.archive;

import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.TrackKind;
import dev.tunnelcast.server.relay.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * Makes the seed inputs of {@link SegmentRepairFuzzTest}: small segments recorded by the real
 * recorder (FFmpeg's fragmented MP4 muxer) from {@link MediaFixture} packets, a few kB each.
 * Run from the server module (it needs the test classpath and ffmpeg on the PATH):
 * {@code java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt)
 * dev.tunnelcast.server.archive.SegmentSeeds}.
 */
final class SegmentSeeds {

    private static final Path CORPUS =
            Path.of("src/test/resources/dev/tunnelcast/server/archive/SegmentRepairFuzzTestInputs/repairMutatedSegment");

    public static void main(String[] args) throws Exception {
        MediaFixture media = MediaFixture.generate(3, 30);
        Files.createDirectories(CORPUS);
        // Opus only, 1.1 s: two fragments
        record(media, "seed-audio.mp4", t -> t.getKind() == TrackKind.TRACK_KIND_AUDIO, 1_100_000);
        // H.264 + Opus, 0.1 s: a keyframe and two frames in one fragment
        record(media, "seed-video-audio.mp4", t -> true, 100_000);
    }

    private static void record(MediaFixture media, String name, Predicate<TrackConfig> tracks, long micros)
            throws Exception {
        Path dir = Files.createTempDirectory("segment-seed");
        Archive archive = Archive.start(ArchiveConfig.defaults(dir), new SimpleMeterRegistry());
        StreamObserver observer = archive.observer();
        observer.publisherStarted("seed", "s1");
        List<TrackConfig> kept = media.tracks().stream().filter(tracks).toList();
        kept.forEach(t -> observer.trackConfig("seed", t));
        long first = media.packets().get(0).getPtsMicros();
        for (MediaPacket p : media.packets()) {
            boolean ofKept = kept.stream().anyMatch(t -> t.getTrackId() == p.getTrackId());
            if (ofKept && p.getPtsMicros() - first < micros) {
                observer.mediaPacket("seed", p, 1_790_000_000_000_000L + p.getPtsMicros() - first);
            }
        }
        archive.close();
        SegmentInfo segment = archive.index().all().get(0);
        Path file = archive.index().mediaFile(segment);
        Files.copy(file, CORPUS.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.println(name + ": " + Files.size(file) + " bytes, " + Fmp4Layout.read(file).fragments().size()
                + " fragments");
    }
}
