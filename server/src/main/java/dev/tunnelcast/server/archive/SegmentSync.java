package dev.tunnelcast.server.archive;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes one segment file durable as its {@link FsyncPolicy} says, timing every fsync in
 * {@link ArchiveMetrics}. FFmpeg writes the file through its own descriptor; fsync works on the
 * file, so a read-only descriptor of our own is enough to flush it.
 */
final class SegmentSync implements AutoCloseable {

    private final FsyncPolicy policy;
    private final ArchiveMetrics metrics;
    private final FileChannel file;
    private long syncedBytes;

    private SegmentSync(FsyncPolicy policy, ArchiveMetrics metrics, FileChannel file) {
        this.policy = policy;
        this.metrics = metrics;
        this.file = file;
    }

    /**
     * For a file just created beside its sidecar (RECORDING, renamed into place): syncs the
     * sidecar, then the directory, so that both survive a power loss and crash recovery finds
     * the segment; unless the policy is {@code none}.
     */
    static SegmentSync open(Path media, Path sidecar, FsyncPolicy policy, ArchiveMetrics metrics) throws IOException {
        if (policy == FsyncPolicy.NONE) {
            return new SegmentSync(policy, metrics, null);
        }
        force(sidecar, "sidecar", metrics);
        force(media.getParent(), "directory", metrics);
        return new SegmentSync(policy, metrics, FileChannel.open(media, StandardOpenOption.READ));
    }

    private static void force(Path path, String what, ArchiveMetrics metrics) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long start = System.nanoTime();
            channel.force(true);
            metrics.fsynced(what, System.nanoTime() - start);
        }
    }

    /**
     * After a packet was written; {@code fileBytes} is where FFmpeg's output stands. It moves
     * only when a fragment is finished (the muxer holds the one being collected), and then the
     * {@code fragment} policy syncs it.
     */
    void written(long fileBytes) throws IOException {
        if (policy == FsyncPolicy.FRAGMENT && fileBytes > syncedBytes) {
            sync("fragment", false);
            syncedBytes = fileBytes;
        }
    }

    /** After the trailer and the header's durations: syncs the whole file, unless the policy is {@code none}. */
    void finished() throws IOException {
        if (policy != FsyncPolicy.NONE) {
            sync("segment", true);
        }
    }

    private void sync(String what, boolean metadata) throws IOException {
        long start = System.nanoTime();
        file.force(metadata);
        metrics.fsynced(what, System.nanoTime() - start);
    }

    @Override
    public void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException ignored) {
                // a read-only descriptor: nothing of the file depends on it
            }
        }
    }
}
