package dev.tunnelcast.server.relay;

import com.google.protobuf.ByteString;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Padding;
import dev.tunnelcast.server.metrics.RelayMetrics;
import dev.tunnelcast.server.websocket.ServerFrames;
import java.nio.ByteBuffer;

/**
 * One message on its way to players: the original bytes as received from the publisher (or
 * a relay-made control message), shared read-only by every player queue and the GOP cache,
 * and its WebSocket frame, built once here (a server's frames are not masked, so it is the
 * same bytes for every player). Each send takes its own {@link ByteBuffer#duplicate()} of the
 * frame; nobody copies, re-encodes or re-frames per player.
 *
 * @param bytes           the encoded envelope, read-only, position 0
 * @param frame           {@code bytes} as one final binary WebSocket frame, read-only, position 0
 * @param kind            what the fan-out policy needs to know about it
 * @param keyframe        a video keyframe (only for {@link Kind#VIDEO})
 * @param receivedAtNanos when the relay received it (monotonic), for ages and latency
 * @param layer           its layer, for a config or packet of a simulcast track ({@link SimulcastLayers});
 *                        {@link #NO_LAYER} for everything else
 * @param ptsMicros       a simulcast packet's pts: layers switch where a keyframe's pts is new
 */
public record RelayedMessage(ByteBuffer bytes, ByteBuffer frame, Kind kind, boolean keyframe, long receivedAtNanos,
                             int layer, long ptsMicros) {

    /** Not part of a simulcast track: every player gets it. */
    public static final int NO_LAYER = -1;

    /** Frames {@code bytes} (one copy, at fan-out). */
    public RelayedMessage(ByteBuffer bytes, Kind kind, boolean keyframe, long receivedAtNanos) {
        this(bytes, kind, keyframe, receivedAtNanos, NO_LAYER, 0);
    }

    /** Frames {@code bytes} (one copy, at fan-out); a config or packet of a simulcast layer. */
    public RelayedMessage(ByteBuffer bytes, Kind kind, boolean keyframe, long receivedAtNanos, int layer, long ptsMicros) {
        this(bytes, ServerFrames.binary(bytes), kind, keyframe, receivedAtNanos, layer, ptsMicros);
    }

    /** How a message is treated by queues and the GOP cache. */
    public enum Kind {
        /** Made by the relay for one player or all of them (Welcome, Status, EndOfStream). */
        CONTROL,
        /** A TrackConfig: never dropped. */
        CONFIG,
        /** Audio media: kept when video is dropped. */
        AUDIO,
        /** Video media: dropped up to the next keyframe when a player falls behind. */
        VIDEO,
        /** Relay-made filler of a padding probe: dropped as soon as it backs a player's queue up. */
        PADDING
    }

    public static RelayedMessage control(Envelope envelope, long nowNanos) {
        return new RelayedMessage(ByteBuffer.wrap(envelope.toByteArray()).asReadOnlyBuffer(),
                Kind.CONTROL, false, nowNanos);
    }

    /**
     * A {@code Padding} envelope of about {@code sizeBytes} on the wire: its bytes are queued many
     * times over (a padding probe's chunks, {@link #queuedAt}), so they are built once.
     */
    public static RelayedMessage padding(int sizeBytes) {
        int overhead = 6; // two field tags and two lengths of 2 bytes each (sizes of 128 B to 16 KiB)
        Envelope envelope = Envelope.newBuilder()
                .setPadding(Padding.newBuilder().setData(ByteString.copyFrom(new byte[Math.max(0, sizeBytes - overhead)]))).build();
        return new RelayedMessage(ByteBuffer.wrap(envelope.toByteArray()).asReadOnlyBuffer(), Kind.PADDING, false, 0);
    }

    /** This message's bytes and frame (shared, not copied) as a message that arrived now: a padding chunk. */
    public RelayedMessage queuedAt(long nowNanos) {
        return new RelayedMessage(bytes, frame, kind, keyframe, nowNanos, layer, ptsMicros);
    }

    public int sizeBytes() {
        return bytes.remaining();
    }

    public boolean isVideo() {
        return kind == Kind.VIDEO;
    }

    /** What this message carried, as the relay latency's histogram tells it apart. */
    public RelayMetrics.Carried carried() {
        return switch (kind) {
            case AUDIO -> RelayMetrics.Carried.AUDIO;
            case VIDEO -> keyframe ? RelayMetrics.Carried.KEYFRAME : RelayMetrics.Carried.VIDEO;
            case CONTROL, CONFIG, PADDING -> RelayMetrics.Carried.OTHER;
        };
    }
}
