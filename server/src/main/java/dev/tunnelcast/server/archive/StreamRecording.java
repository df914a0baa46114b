package dev.tunnelcast.server.archive;

import com.google.protobuf.ByteString;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.TrackKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recording of one stream: which tracks it has, the segment being written, and when to
 * start the next one. A segment starts at a video keyframe (any packet for audio-only
 * streams) and ends at the first keyframe after the segment duration, when the publisher
 * or a track configuration changes, when events were lost, when this cluster node lost the
 * stream's recorder lease ({@link RecordingLeases}), or on a disk fault. Only the
 * recorder's writer thread calls it.
 */
final class StreamRecording {

    private static final Logger log = LoggerFactory.getLogger(StreamRecording.class);
    /** The close reason of a segment whose node lost the stream's recorder lease. */
    static final String LEASE_LOST = "recorder lease lost";
    private static final DateTimeFormatter ID_FORMAT =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    private final String stream;
    private final ArchiveConfig config;
    private final SegmentIndex index;
    private final ArchiveMetrics metrics;
    private final Clock clock;
    private final DiskSpace disk;
    private final SegmentRepair repair;
    private final Consumer<SegmentInfo> onClosed;
    private final String node;
    private final Function<String, OptionalLong> fencingTokens;

    private final Map<Integer, TrackConfig> tracks = new LinkedHashMap<>();
    private String publisherSession = "";
    private Segment current;
    private Instant faultedUntil;

    StreamRecording(String stream, ArchiveConfig config, SegmentIndex index, ArchiveMetrics metrics,
            Clock clock, DiskSpace disk, SegmentRepair repair, Consumer<SegmentInfo> onClosed,
            String node, Function<String, OptionalLong> fencingTokens) {
        this.stream = stream;
        this.config = config;
        this.index = index;
        this.metrics = metrics;
        this.clock = clock;
        this.disk = disk;
        this.repair = repair;
        this.onClosed = onClosed;
        this.node = node;
        this.fencingTokens = fencingTokens;
    }

    void publisherStarted(String session) {
        if (!session.equals(publisherSession)) {
            closeSegment("publisher-change");
            tracks.clear();
            publisherSession = session;
        }
    }

    void publisherStopped() {
        closeSegment("publisher-stopped");
        tracks.clear();
        if (faultedUntil != null) { // nothing to record any more; the next publisher tries afresh
            faultedUntil = null;
            metrics.faultedStreams.decrementAndGet();
        }
    }

    void trackConfig(TrackConfig config) {
        TrackConfig previous = tracks.put(config.getTrackId(), config);
        if (!Fmp4Muxer.supported(config) && (previous == null || !previous.getCodec().equals(config.getCodec()))) {
            log.warn("Stream {}: track {} ({}) is not recorded: the MP4 recorder cannot hold this codec; "
                    + "its other tracks are", stream, config.getTrackId(), config.getCodec());
            metrics.unrecordedTrack(config.getCodec());
        }
        if (previous == null || !sameInContainer(previous, config)) {
            closeSegment("track-config-change");
        }
        // else re-announced, or only the bitrate/frame rate changed: the file stays valid
    }

    /** Whether the MP4 track description (codec, decoder config, dimensions) stays the same. */
    private static boolean sameInContainer(TrackConfig a, TrackConfig b) {
        return a.getKind() == b.getKind() && a.getCodec().equals(b.getCodec())
                && a.getDecoderConfig().equals(b.getDecoderConfig())
                && a.getWidth() == b.getWidth() && a.getHeight() == b.getHeight()
                && a.getSampleRate() == b.getSampleRate() && a.getChannels() == b.getChannels();
    }

    /** Another cluster node records the stream now: the segment ends here. */
    void leaseLost() {
        closeSegment(LEASE_LOST);
    }

    /** Events were lost in the queue: the segment ends here; the next starts at a keyframe. */
    void gap(Collection<TrackConfig> latestTracks) {
        closeSegment("queue-overflow");
        tracks.clear();
        latestTracks.forEach(t -> tracks.put(t.getTrackId(), t));
    }

    void packet(MediaPacket packet, long receivedAtMicros) {
        TrackConfig track = tracks.get(packet.getTrackId());
        if (track == null || !Fmp4Muxer.supported(track)) {
            metrics.discarded(ArchiveMetrics.Discard.UNSUPPORTED_TRACK);
            return;
        }
        OptionalLong lease = fencingTokens.apply(stream);
        if (current != null && (lease.isEmpty() || lease.getAsLong() != current.fencingToken)) {
            closeSegment(LEASE_LOST); // lost, perhaps taken again since: a new lease starts a new segment
        }
        if (lease.isEmpty()) {
            metrics.discarded(ArchiveMetrics.Discard.NOT_LEASE_HOLDER);
            return;
        }
        boolean video = track.getKind() == TrackKind.TRACK_KIND_VIDEO;
        boolean startPoint = hasVideo() ? video && packet.getKeyframe() : true;
        if (current != null && startPoint
                && packet.getPtsMicros() - current.baseMicros >= config.segmentDuration().toNanos() / 1000) {
            closeSegment("rotation");
        }
        if (current == null) {
            if (!startPoint) {
                metrics.discarded(ArchiveMetrics.Discard.WAITING_FOR_KEYFRAME);
                return;
            }
            if (faultedUntil != null && clock.instant().isBefore(faultedUntil)) {
                metrics.discarded(ArchiveMetrics.Discard.DISK_FAULT);
                return;
            }
            if (!open(packet, receivedAtMicros, lease.getAsLong())) {
                metrics.discarded(ArchiveMetrics.Discard.DISK_FAULT);
                return;
            }
        }
        write(packet, video);
    }

    void shutdown() {
        closeSegment("shutdown");
    }

    private boolean hasVideo() {
        return tracks.values().stream().anyMatch(t -> t.getKind() == TrackKind.TRACK_KIND_VIDEO && Fmp4Muxer.supported(t));
    }

    private boolean open(MediaPacket first, long receivedAtMicros, long fencingToken) {
        List<TrackConfig> recorded = tracks.values().stream().filter(Fmp4Muxer::supported)
                .sorted(Comparator.comparing(TrackConfig::getKind)).toList();
        SegmentInfo info = null;
        try {
            Path dir = index.streamDirectory(stream);
            Files.createDirectories(dir);
            checkSpace(dir);
            String id = uniqueId(dir, receivedAtMicros, fencingToken);
            info = new SegmentInfo(id, stream, publisherSession, SegmentInfo.State.RECORDING,
                    config.hasHook() ? SegmentInfo.Handoff.PENDING : SegmentInfo.Handoff.NOT_REQUIRED,
                    receivedAtMicros, receivedAtMicros, 0, 0,
                    recorded.stream().map(TrackConfig::getCodec).toList(), 0, 0, null, node);
            index.put(info); // before the file exists, so that crash recovery finds it
            Fmp4Muxer muxer = Fmp4Muxer.open(index.mediaFile(info), recorded,
                    config.fragmentDuration().toNanos() / 1000);
            SegmentSync sync;
            try {
                sync = SegmentSync.open(index.mediaFile(info), index.sidecar(info), config.fsync(), metrics);
            } catch (IOException e) {
                muxer.abort();
                throw e;
            }
            current = new Segment(info, muxer, sync, first.getPtsMicros(), fencingToken);
            metrics.segmentsOpened.increment();
            if (faultedUntil != null) {
                faultedUntil = null;
                metrics.faultedStreams.decrementAndGet();
                log.info("Recording of stream {} resumed into {}", stream, index.mediaFile(info));
            }
            log.debug("Recording stream {} into {}", stream, index.mediaFile(info));
            return true;
        } catch (IOException | RuntimeException e) {
            if (info != null) {
                try {
                    index.delete(info);
                } catch (IOException ignored) {
                    // the fault below is what the operator needs to see
                }
            }
            fault(e);
            return false;
        }
    }

    private void write(MediaPacket packet, boolean video) {
        int trackId = packet.getTrackId();
        if (!current.muxer.hasTrack(trackId)) {
            metrics.discarded(ArchiveMetrics.Discard.TRACK_NOT_IN_SEGMENT);
            return;
        }
        long pts = packet.getPtsMicros() - current.baseMicros;
        Long previous = current.lastPts.get(trackId);
        if (pts < 0 || (previous != null && pts <= previous)) {
            metrics.discarded(pts < 0 ? ArchiveMetrics.Discard.BEFORE_SEGMENT_START : ArchiveMetrics.Discard.NON_MONOTONIC_PTS);
            return;
        }
        ByteString payload = packet.getPayload();
        try {
            if (video && packet.getKeyframe()) {
                checkSpace(index.streamDirectory(stream)); // a keyframe starts a fragment: check before it
            }
            long start = System.nanoTime();
            current.muxer.write(trackId, payload, pts, packet.getDurationMicros(), packet.getKeyframe());
            current.sync.written(current.muxer.writtenBytes());
            metrics.packetWrite.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        } catch (LowDiskSpaceException e) {
            metrics.discarded(ArchiveMetrics.Discard.DISK_FAULT);
            closeSegment("low-disk-space"); // there is still room to finish the file cleanly
            fault(e);
            return;
        } catch (IOException | RuntimeException e) {
            metrics.discarded(ArchiveMetrics.Discard.DISK_FAULT);
            fault(e);
            return;
        }
        current.lastPts.put(trackId, pts);
        current.endMicros = Math.max(current.endMicros, pts + packet.getDurationMicros());
        if (video) {
            current.videoFrames++;
        } else {
            current.audioFrames++;
        }
        metrics.packetsWritten.increment();
        metrics.bytesWritten.increment(payload.size());
    }

    private void checkSpace(Path dir) throws IOException {
        long free = disk.usableBytes(dir);
        if (free < config.minFreeBytes()) {
            throw new LowDiskSpaceException("only " + free + " bytes free in " + dir + ", below the minimum of "
                    + config.minFreeBytes());
        }
    }

    private void closeSegment(String reason) {
        Segment segment = current;
        if (segment == null) {
            return;
        }
        current = null;
        Path file = index.mediaFile(segment.info);
        try {
            segment.muxer.close();
            MovieDurations.write(file, Fmp4Layout.read(file));
            segment.sync.finished();
            SegmentInfo closed = segment.info.finish(SegmentInfo.State.CLOSED, segment.endMicros,
                    Files.size(file), segment.videoFrames, segment.audioFrames, reason);
            index.put(closed);
            metrics.segmentsClosed.increment();
            log.info("Archive segment {} of stream {} closed ({}): {} s, {} video / {} audio frames",
                    closed.id(), stream, reason, closed.durationMicros() / 1e6, closed.videoFrames(), closed.audioFrames());
            onClosed.accept(closed);
        } catch (IOException | RuntimeException e) {
            log.warn("Closing archive segment {} of stream {} failed ({}); keeping its complete fragments",
                    segment.info.id(), stream, e.toString());
            repair.repair(segment.info, SegmentInfo.State.CLOSED, reason + ", cut after a write error")
                    .ifPresent(onClosed);
        } finally {
            segment.sync.close();
        }
    }

    /** Stops recording this stream until the retry interval passed; the live stream goes on. */
    private void fault(Exception cause) {
        metrics.writeFaults.increment();
        if (faultedUntil == null) {
            metrics.faultedStreams.incrementAndGet();
            log.error("Recording of stream {} stopped: {}. The live stream is not affected; "
                    + "recording retries every {} s.", stream, cause.toString(), config.faultRetryInterval().toSeconds());
        }
        faultedUntil = clock.instant().plus(config.faultRetryInterval());
        Segment segment = current;
        current = null;
        if (segment != null) {
            segment.muxer.abort();
            segment.sync.close();
            repair.repair(segment.info, SegmentInfo.State.CLOSED, "stopped by a write error").ifPresent(onClosed);
        }
    }

    /** The start time; in a cluster also the node and its lease's token, so that two nodes never share a file. */
    private String uniqueId(Path dir, long wallMicros, long fencingToken) {
        String base = ID_FORMAT.format(Instant.ofEpochSecond(0, wallMicros * 1000))
                + (node == null ? "" : "-" + node + "-r" + fencingToken);
        String id = base;
        for (int n = 1; Files.exists(dir.resolve(id + ".json")) || Files.exists(dir.resolve(id + ".mp4")); n++) {
            id = base + "-" + n;
        }
        return id;
    }

    /** Free space fell below the configured minimum (not yet an I/O error). */
    private static final class LowDiskSpaceException extends IOException {
        LowDiskSpaceException(String message) {
            super(message);
        }
    }

    /** The segment being written. */
    private static final class Segment {
        final SegmentInfo info;
        final Fmp4Muxer muxer;
        final SegmentSync sync;
        final long baseMicros;
        final long fencingToken;
        final Map<Integer, Long> lastPts = new HashMap<>();
        long endMicros;
        long videoFrames;
        long audioFrames;

        Segment(SegmentInfo info, Fmp4Muxer muxer, SegmentSync sync, long baseMicros, long fencingToken) {
            this.info = info;
            this.fencingToken = fencingToken;
            this.muxer = muxer;
            this.sync = sync;
            this.baseMicros = baseMicros;
        }
    }
}
