package dev.tunnelcast.server.archive;

import dev.tunnelcast.server.relay.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive, wired in one place: at start it loads the index, repairs segments left
 * unfinished by a crash and resumes pending hand-offs; then the {@link #observer()} records
 * what the relay feeds it, closed segments go to the hook and to retention, and
 * {@link #handlers()} serve the recordings over HTTP.
 */
public final class Archive implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Archive.class);
    private static final long RETENTION_PERIOD_SECONDS = 60;

    private final ArchiveConfig config;
    private final SegmentIndex index;
    private final ArchiveMetrics metrics;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final HandoffHook hook;
    private final Recorder recorder;
    private final ArchiveHandlers handlers;

    private Archive(ArchiveConfig config, MeterRegistry registry, Clock clock, DiskSpace disk, String node)
            throws IOException {
        this.config = config;
        this.clock = clock;
        this.index = SegmentIndex.load(config.directory(), node);
        this.metrics = new ArchiveMetrics(registry);
        this.executor = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "archive-tasks");
            t.setDaemon(true);
            return t;
        });
        this.hook = new HandoffHook(config, index, metrics, executor);
        this.recorder = new Recorder(config, index, metrics, clock, disk, this::segmentClosed, node);
        this.handlers = new ArchiveHandlers(index);
    }

    /** Starts the archive (recovery first, then recording); the caller closes it. */
    public static Archive start(ArchiveConfig config, MeterRegistry registry) throws IOException {
        return start(config, registry, null);
    }

    /**
     * Starts the archive of cluster node {@code node} (null: a relay on its own): its segment ids name
     * the node, and at start it repairs only its own unfinished segments (on shared storage the
     * others belong to live nodes).
     */
    public static Archive start(ArchiveConfig config, MeterRegistry registry, String node) throws IOException {
        return start(config, registry, Clock.systemUTC(), DiskSpace.FILE_STORE, node);
    }

    static Archive start(ArchiveConfig config, MeterRegistry registry, Clock clock, DiskSpace disk) throws IOException {
        return start(config, registry, clock, disk, null);
    }

    static Archive start(ArchiveConfig config, MeterRegistry registry, Clock clock, DiskSpace disk, String node)
            throws IOException {
        // Load FFmpeg's natives now (seconds on a cold cache), not when the first segment opens.
        Loader.load(avformat.class);
        Archive archive = new Archive(config, registry, clock, disk, node);
        new SegmentRepair(archive.index, archive.metrics).recoverAll();
        archive.index.own().stream().filter(SegmentInfo::finished).forEach(archive.hook::submit);
        archive.recorder.start();
        archive.executor.scheduleWithFixedDelay(archive::enforceRetention, 0, RETENTION_PERIOD_SECONDS, TimeUnit.SECONDS);
        log.info("Archive recording streams matching '{}' into {} ({} segments indexed)",
                config.streamGlob(), config.directory().toAbsolutePath(), archive.index.all().size());
        return archive;
    }

    /** Give this to the relay: it records the streams the configuration selects. */
    public StreamObserver observer() {
        return recorder;
    }

    /** Record a stream only while holding its cluster lease; call before the first publisher. */
    public void useLeases(RecordingLeases leases) {
        recorder.useLeases(leases);
    }

    public ArchiveHandlers handlers() {
        return handlers;
    }

    public SegmentIndex index() {
        return index;
    }

    public ArchiveConfig config() {
        return config;
    }

    private void segmentClosed(SegmentInfo segment) {
        hook.submit(segment);
        executor.execute(this::enforceRetention);
    }

    /** Deletes what the retention policy says, logging every deletion. */
    synchronized void enforceRetention() {
        try {
            for (RetentionPlan.Deletion d : RetentionPlan.plan(index.own(), config, clock.instant())) {
                SegmentInfo s = d.segment();
                try {
                    index.delete(s);
                } catch (IOException e) {
                    log.error("Retention could not delete archive segment {} of stream {}: {}", s.id(), s.stream(), e.toString());
                    continue;
                }
                metrics.deleted(d.reason(), d.forced());
                if (d.forced()) {
                    log.warn("Retention DELETED archive segment {} of stream {} ({} bytes) BEFORE ITS HAND-OFF "
                            + "SUCCEEDED: the total size limit of {} bytes forces it", s.id(), s.stream(),
                            s.sizeBytes(), config.maxTotalBytes());
                } else {
                    log.info("Retention deleted archive segment {} of stream {} ({} bytes, {})",
                            s.id(), s.stream(), s.sizeBytes(), d.reason());
                }
            }
        } catch (RuntimeException e) {
            log.error("Archive retention failed", e);
        }
    }

    /** Closes open segments cleanly and stops the background work. */
    @Override
    public void close() throws InterruptedException {
        recorder.close();
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
