package dev.tunnelcast.server.archive;

import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the archive recorder can be told. {@link #defaults(Path)} gives a working
 * configuration that records every stream into one directory; the {@code with…} methods
 * change one setting each. Zero or negative limits mean "no limit".
 *
 * @param directory where segments live: {@code directory/<stream>/<id>.mp4} plus {@code <id>.json}
 * @param streamGlob which streams are recorded: {@code *} for all, a glob such as
 *     {@code cam-*}, or empty for none
 * @param segmentDuration a segment is rotated at the first video keyframe after this much media time
 * @param fragmentDuration target length of one moof+mdat fragment (what a crash may lose)
 * @param maxAge segments whose end is older than this are deleted
 * @param maxBytesPerStream the newest segments of one stream that fit are kept
 * @param maxTotalBytes the newest segments of all streams that fit are kept; this limit
 *     also deletes segments not yet handed off (loudly), the others never do
 * @param minFreeBytes recording pauses while the file system has less space than this
 * @param queuePackets bound of the hand-over queue between the relay's I/O threads and the writer
 * @param hookCommand a command run for every closed segment (segment path appended), or empty
 * @param webhookUrl a URL that receives a JSON POST for every closed segment, or null
 * @param hookTimeout how long one command run or POST may take
 * @param hookInitialBackoff the first retry delay of a failed hand-off (doubles each time)
 * @param hookMaxBackoff the longest retry delay
 * @param faultRetryInterval how often a stopped recording (disk full, unwritable) retries
 * @param fsync when segment bytes are forced to the disk (what a power loss may lose)
 */
public record ArchiveConfig(
        Path directory,
        String streamGlob,
        Duration segmentDuration,
        Duration fragmentDuration,
        Duration maxAge,
        long maxBytesPerStream,
        long maxTotalBytes,
        long minFreeBytes,
        int queuePackets,
        List<String> hookCommand,
        URI webhookUrl,
        Duration hookTimeout,
        Duration hookInitialBackoff,
        Duration hookMaxBackoff,
        Duration faultRetryInterval,
        FsyncPolicy fsync) {

    public ArchiveConfig {
        Objects.requireNonNull(directory, "directory");
        streamGlob = streamGlob == null ? "" : streamGlob.strip();
        requirePositive(segmentDuration, "segmentDuration");
        requirePositive(fragmentDuration, "fragmentDuration");
        maxAge = maxAge == null ? Duration.ZERO : maxAge;
        if (queuePackets < 16) {
            throw new IllegalArgumentException("queuePackets must be at least 16, got " + queuePackets);
        }
        hookCommand = hookCommand == null ? List.of() : List.copyOf(hookCommand);
        requirePositive(hookTimeout, "hookTimeout");
        requirePositive(hookInitialBackoff, "hookInitialBackoff");
        requirePositive(hookMaxBackoff, "hookMaxBackoff");
        requirePositive(faultRetryInterval, "faultRetryInterval");
        Objects.requireNonNull(fsync, "fsync");
    }

    /** Records every stream into {@code directory}, 10-minute segments, no retention limits, fsync per fragment. */
    public static ArchiveConfig defaults(Path directory) {
        return new ArchiveConfig(directory, "*", Duration.ofMinutes(10), Duration.ofSeconds(1),
                Duration.ZERO, 0, 0, 256L << 20, 4096, List.of(), null,
                Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofMinutes(5),
                Duration.ofSeconds(5), FsyncPolicy.FRAGMENT);
    }

    /** Whether {@code stream} is recorded. */
    public boolean records(String stream) {
        if (streamGlob.isEmpty()) {
            return false;
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + streamGlob);
        return matcher.matches(Path.of(stream));
    }

    /** Whether any hand-off (command or webhook) is configured. */
    public boolean hasHook() {
        return !hookCommand.isEmpty() || webhookUrl != null;
    }

    public ArchiveConfig withStreamGlob(String glob) {
        return new ArchiveConfig(directory, glob, segmentDuration, fragmentDuration, maxAge,
                maxBytesPerStream, maxTotalBytes, minFreeBytes, queuePackets, hookCommand,
                webhookUrl, hookTimeout, hookInitialBackoff, hookMaxBackoff, faultRetryInterval, fsync);
    }

    public ArchiveConfig withSegmentDuration(Duration duration) {
        return new ArchiveConfig(directory, streamGlob, duration, fragmentDuration, maxAge,
                maxBytesPerStream, maxTotalBytes, minFreeBytes, queuePackets, hookCommand,
                webhookUrl, hookTimeout, hookInitialBackoff, hookMaxBackoff, faultRetryInterval, fsync);
    }

    public ArchiveConfig withRetention(Duration age, long bytesPerStream, long totalBytes) {
        return new ArchiveConfig(directory, streamGlob, segmentDuration, fragmentDuration, age,
                bytesPerStream, totalBytes, minFreeBytes, queuePackets, hookCommand,
                webhookUrl, hookTimeout, hookInitialBackoff, hookMaxBackoff, faultRetryInterval, fsync);
    }

    public ArchiveConfig withMinFreeBytes(long bytes) {
        return new ArchiveConfig(directory, streamGlob, segmentDuration, fragmentDuration, maxAge,
                maxBytesPerStream, maxTotalBytes, bytes, queuePackets, hookCommand,
                webhookUrl, hookTimeout, hookInitialBackoff, hookMaxBackoff, faultRetryInterval, fsync);
    }

    public ArchiveConfig withQueuePackets(int packets) {
        return new ArchiveConfig(directory, streamGlob, segmentDuration, fragmentDuration, maxAge,
                maxBytesPerStream, maxTotalBytes, minFreeBytes, packets, hookCommand,
                webhookUrl, hookTimeout, hookInitialBackoff, hookMaxBackoff, faultRetryInterval, fsync);
    }

    public ArchiveConfig withHook(List<String> command, URI webhook, Duration initialBackoff,
            Duration maxBackoff) {
        return new ArchiveConfig(directory, streamGlob, segmentDuration, fragmentDuration, maxAge,
                maxBytesPerStream, maxTotalBytes, minFreeBytes, queuePackets, command,
                webhook, hookTimeout, initialBackoff, maxBackoff, faultRetryInterval, fsync);
    }

    public ArchiveConfig withFaultRetryInterval(Duration interval) {
        return new ArchiveConfig(directory, streamGlob, segmentDuration, fragmentDuration, maxAge,
                maxBytesPerStream, maxTotalBytes, minFreeBytes, queuePackets, hookCommand,
                webhookUrl, hookTimeout, hookInitialBackoff, hookMaxBackoff, interval, fsync);
    }

    public ArchiveConfig withFsync(FsyncPolicy policy) {
        return new ArchiveConfig(directory, streamGlob, segmentDuration, fragmentDuration, maxAge,
                maxBytesPerStream, maxTotalBytes, minFreeBytes, queuePackets, hookCommand,
                webhookUrl, hookTimeout, hookInitialBackoff, hookMaxBackoff, faultRetryInterval, policy);
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
