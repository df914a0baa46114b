package dev.tunnelcast.server.archive;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash recovery: a segment the index still calls RECORDING was being written when the
 * relay died. Its file is truncated after the last complete moof+mdat, its frames and
 * duration are measured again, and it is marked RECOVERED. A file without one complete
 * fragment holds nothing playable and is deleted.
 */
final class SegmentRepair {

    private static final Logger log = LoggerFactory.getLogger(SegmentRepair.class);

    private final SegmentIndex index;
    private final ArchiveMetrics metrics;

    SegmentRepair(SegmentIndex index, ArchiveMetrics metrics) {
        this.index = index;
        this.metrics = metrics;
    }

    /**
     * Repairs every unfinished segment the index's node owns ({@link SegmentIndex#owns}); returns
     * the ones kept. Run before recording starts. Another node's unfinished segment is left
     * alone: on shared storage that node may be writing it now.
     */
    List<SegmentInfo> recoverAll() {
        List<SegmentInfo> kept = new ArrayList<>();
        for (SegmentInfo info : index.all()) {
            if (info.state() == SegmentInfo.State.RECORDING && !index.owns(info)) {
                log.warn("Archive segment {} of stream {} is unfinished but belongs to {}: not repaired here (on shared"
                        + " storage that node may be writing it; its own start repairs it)", info.id(), info.stream(),
                        info.node() == null ? "a relay without a cluster" : "cluster node " + info.node());
            } else if (info.state() == SegmentInfo.State.RECORDING) {
                repair(info, SegmentInfo.State.RECOVERED, "recovered after an unclean stop").ifPresent(kept::add);
            }
        }
        return kept;
    }

    /**
     * Truncates {@code info}'s file to its complete fragments and stores the measured entry
     * with {@code state}; empty if nothing was playable (then the segment is deleted).
     */
    Optional<SegmentInfo> repair(SegmentInfo info, SegmentInfo.State state, String reason) {
        Path file = index.mediaFile(info);
        try {
            Fmp4Layout layout = Files.exists(file) ? Fmp4Layout.read(file) : null;
            if (layout == null || layout.fragments().isEmpty()) {
                log.warn("Archive segment {} of stream {} has no complete fragment; deleting it", info.id(), info.stream());
                index.delete(info);
                return Optional.empty();
            }
            long keep = layout.completeLength();
            if (keep < layout.fileLength()) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(keep);
                }
            }
            MovieDurations.write(file, layout);
            MediaProbe probe = MediaProbe.of(file);
            SegmentInfo repaired = info.finish(state, probe.durationMicros(), keep,
                    probe.videoFrames(), probe.audioFrames(), reason);
            index.putOrLog(repaired);
            metrics.segmentsRecovered.increment();
            log.info("Archive segment {} of stream {} {}: kept {} fragments, {} bytes ({} cut), {} video frames",
                    info.id(), info.stream(), reason, layout.fragments().size(), keep,
                    layout.fileLength() - keep, probe.videoFrames());
            return Optional.of(repaired);
        } catch (IOException e) {
            log.error("Cannot repair archive segment {} of stream {} ({}): {}", info.id(), info.stream(), file, e.toString());
            return Optional.empty();
        }
    }
}
