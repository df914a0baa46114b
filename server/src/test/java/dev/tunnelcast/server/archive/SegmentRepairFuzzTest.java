package dev.tunnelcast.server.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Crash recovery on damaged segments: any bytes, seeded with real recordings (see
 * {@link SegmentSeeds}), as the file of a segment the index still calls RECORDING, through
 * {@link Fmp4Layout} and the real {@link SegmentRepair} (truncation, FFmpeg probe, index).
 * Invariants: nothing but the documented outcomes (kept, or deleted when nothing is playable;
 * an I/O error is logged, not thrown); the layout is consistent with the file; a repaired
 * file ends at its last complete fragment and reads back with the same fragments.
 *
 * <p>Every input uses the same segment file and index entry; the archive folder is on tmpfs
 * ({@code /dev/shm}) where the machine has one, as nothing here is about the disk.
 *
 * <p>{@code mvn test} replays the inputs under
 * {@code src/test/resources/dev/tunnelcast/server/archive/SegmentRepairFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1} (or {@code bench/run fuzz}) fuzzes.
 */
class SegmentRepairFuzzTest {

    /** On tmpfs where there is one: the file system's open, rename and unlink were most of an input's time. */
    @TempDir(factory = InMemoryTempDir.class)
    static Path archive;
    private static SegmentIndex index;
    private static SegmentRepair repair;
    private static int ffmpegLogLevel;
    private static final SegmentInfo UNFINISHED = new SegmentInfo("20261202T000000Z-0001", "fuzz", "s1",
            SegmentInfo.State.RECORDING, SegmentInfo.Handoff.NOT_REQUIRED, 1_790_000_000_000_000L,
            1_790_000_000_000_000L, 0, 0, List.of("avc1.64000D", "opus"), 0, 0, null, null);

    @BeforeAll
    static void openIndex() throws IOException {
        // FFmpeg's demuxer reports every damaged box on stderr, several lines per input (hundreds
        // of MB in a long run); what this test checks is what repair returns and leaves on disk.
        ffmpegLogLevel = avutil.av_log_get_level();
        avutil.av_log_set_level(avutil.AV_LOG_QUIET);
        index = SegmentIndex.load(archive);
        Files.createDirectories(index.streamDirectory("fuzz"));
        repair = new SegmentRepair(index, new ArchiveMetrics(new SimpleMeterRegistry()));
    }

    @AfterAll
    static void restoreFfmpegLogLevel() {
        avutil.av_log_set_level(ffmpegLogLevel);
    }

    @FuzzTest(maxDuration = "30s")
    void repairMutatedSegment(byte[] segment) throws Exception {
        Path file = index.mediaFile(UNFINISHED);
        Files.write(file, segment);
        index.put(UNFINISHED);
        Fmp4Layout layout = Fmp4Layout.read(file);
        assertConsistent(layout, segment.length);

        Optional<SegmentInfo> repaired = repair.repair(UNFINISHED, SegmentInfo.State.RECOVERED, "fuzz");

        if (layout.fragments().isEmpty()) {
            assertThat(repaired).isEmpty();
            assertThat(file).doesNotExist();
            assertThat(index.all()).isEmpty();
            return;
        }
        assertThat(Files.size(file)).as("truncated after the last complete fragment").isEqualTo(layout.completeLength());
        Fmp4Layout after = Fmp4Layout.read(file);
        assertThat(after.fragments()).isEqualTo(layout.fragments());
        assertThat(after.initLength()).isEqualTo(layout.initLength());
        if (repaired.isPresent()) {
            assertThat(repaired.get().state()).isEqualTo(SegmentInfo.State.RECOVERED);
            assertThat(repaired.get().sizeBytes()).isEqualTo(layout.completeLength());
            assertThat(repaired.get().durationMicros()).isNotNegative();
            assertThat(index.all()).containsExactly(repaired.get());
        }
    }

    private static void assertConsistent(Fmp4Layout layout, long fileLength) {
        assertThat(layout.fileLength()).isEqualTo(fileLength);
        assertThat(layout.initLength()).isBetween(0L, fileLength);
        long end = layout.initLength();
        for (Fmp4Layout.Fragment f : layout.fragments()) {
            assertThat(f.offset()).as("fragments in order, after the init part").isGreaterThanOrEqualTo(end);
            assertThat(f.length()).isPositive();
            assertThat(f.durationSeconds()).isNotNegative().isNotNaN();
            end = f.offset() + f.length();
        }
        assertThat(layout.completeLength()).isBetween(layout.initLength(), fileLength);
    }

    /** A temporary folder in {@code /dev/shm} (tmpfs) if it is there and writable, else in the default place. */
    static final class InMemoryTempDir implements TempDirFactory {
        private static final Path SHM = Path.of("/dev/shm");

        @Override
        public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws IOException {
            return Files.isDirectory(SHM) && Files.isWritable(SHM) ? Files.createTempDirectory(SHM, "segment-repair-fuzz")
                    : Files.createTempDirectory("segment-repair-fuzz");
        }
    }
}
