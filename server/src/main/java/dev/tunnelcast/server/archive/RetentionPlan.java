package dev.tunnelcast.server.archive;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which finished segments retention deletes, oldest first: those older than the
 * maximum age, then the oldest of each stream over its size limit, then the oldest of all
 * over the total limit. Segments not yet handed off are kept, except when the total limit
 * cannot be met otherwise ({@code forced}). A pure function of the index and the time.
 */
final class RetentionPlan {

    /** One segment to delete and why. */
    record Deletion(SegmentInfo segment, String reason, boolean forced) {}

    private RetentionPlan() {}

    static List<Deletion> plan(List<SegmentInfo> segmentsOldestFirst, ArchiveConfig config, Instant now) {
        List<SegmentInfo> finished = segmentsOldestFirst.stream().filter(SegmentInfo::finished).toList();
        Map<String, Deletion> out = new java.util.LinkedHashMap<>();
        Set<String> gone = new LinkedHashSet<>();

        if (!config.maxAge().isZero()) {
            long cutoffMicros = (now.getEpochSecond() * 1_000_000L + now.getNano() / 1000)
                    - config.maxAge().toNanos() / 1000;
            for (SegmentInfo s : finished) {
                if (s.endWallMicros() < cutoffMicros && s.handedOff()) {
                    add(out, gone, s, "max-age", false);
                }
            }
        }
        if (config.maxBytesPerStream() > 0) {
            Map<String, Long> bytes = new HashMap<>();
            for (SegmentInfo s : segmentsOldestFirst) {
                if (!gone.contains(key(s))) {
                    bytes.merge(s.stream(), s.sizeBytes(), Long::sum);
                }
            }
            for (SegmentInfo s : finished) {
                long streamBytes = bytes.get(s.stream());
                if (streamBytes > config.maxBytesPerStream() && s.handedOff() && !gone.contains(key(s))) {
                    add(out, gone, s, "max-bytes-per-stream", false);
                    bytes.put(s.stream(), streamBytes - s.sizeBytes());
                }
            }
        }
        if (config.maxTotalBytes() > 0) {
            long total = segmentsOldestFirst.stream().filter(s -> !gone.contains(key(s)))
                    .mapToLong(SegmentInfo::sizeBytes).sum();
            List<SegmentInfo> candidates = new ArrayList<>();
            finished.stream().filter(s -> !gone.contains(key(s)) && s.handedOff()).forEach(candidates::add);
            finished.stream().filter(s -> !gone.contains(key(s)) && !s.handedOff()).forEach(candidates::add);
            for (SegmentInfo s : candidates) {
                if (total <= config.maxTotalBytes()) {
                    break;
                }
                add(out, gone, s, "max-total-bytes", !s.handedOff());
                total -= s.sizeBytes();
            }
        }
        return List.copyOf(out.values());
    }

    private static void add(Map<String, Deletion> out, Set<String> gone, SegmentInfo s, String reason, boolean forced) {
        gone.add(key(s));
        out.put(key(s), new Deletion(s, reason, forced));
    }

    private static String key(SegmentInfo s) {
        return s.stream() + "/" + s.id();
    }
}
