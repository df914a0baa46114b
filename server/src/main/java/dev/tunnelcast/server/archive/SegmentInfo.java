package dev.tunnelcast.server.archive;

import java.util.List;

/**
 * One archive segment as the index knows it; stored as {@code <id>.json} next to
 * {@code <id>.mp4}. Wall-clock times are on the relay clock, microseconds since the epoch;
 * the end is the start plus the media duration. {@code node} is the cluster node that wrote it
 * (null without a cluster): on shared storage a node repairs only its own segments.
 */
public record SegmentInfo(
        String id,
        String stream,
        String publisherSession,
        State state,
        Handoff handoff,
        long startWallMicros,
        long endWallMicros,
        long durationMicros,
        long sizeBytes,
        List<String> codecs,
        long videoFrames,
        long audioFrames,
        String closeReason,
        String node) {

    /** Where a segment is in its life. */
    public enum State {
        /** The writer is appending to it (or the relay died while it did). */
        RECORDING,
        /** Closed by the writer: rotation, publisher change, shutdown or a fault. */
        CLOSED,
        /** Found unfinished at startup and truncated to its last complete fragment. */
        RECOVERED
    }

    /** Whether the hand-off hook has taken the segment. */
    public enum Handoff {
        /** No hook is configured. */
        NOT_REQUIRED,
        PENDING,
        DONE
    }

    public SegmentInfo {
        codecs = codecs == null ? List.of() : List.copyOf(codecs);
    }

    public String fileName() {
        return id + ".mp4";
    }

    /** Whether retention may delete it without being forced by the total disk limit. */
    public boolean handedOff() {
        return handoff != Handoff.PENDING;
    }

    public boolean finished() {
        return state != State.RECORDING;
    }

    public SegmentInfo withHandoff(Handoff h) {
        return new SegmentInfo(id, stream, publisherSession, state, h, startWallMicros,
                endWallMicros, durationMicros, sizeBytes, codecs, videoFrames, audioFrames,
                closeReason, node);
    }

    /** The same segment, finished with the given figures. */
    public SegmentInfo finish(State newState, long newDurationMicros, long newSizeBytes,
            long newVideoFrames, long newAudioFrames, String reason) {
        return new SegmentInfo(id, stream, publisherSession, newState, handoff, startWallMicros,
                startWallMicros + newDurationMicros, newDurationMicros, newSizeBytes, codecs,
                newVideoFrames, newAudioFrames, reason, node);
    }
}
