package dev.tunnelcast.server.relay;

import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.TrackConfig;
import java.nio.ByteBuffer;

/**
 * Sees what a stream's publisher sends, after the relay has validated it, for consumers
 * that are not players (the archive recorder, later others).
 *
 * <p>The relay calls these methods on the publisher's I/O thread, in arrival order, one
 * stream at a time per publisher. Implementations must return at once: anything slow
 * (disk, network) goes to their own bounded queue, so that an observer never delays
 * fan-out. An observer that throws is logged and does not affect the stream.
 *
 * <p>The publisher methods concern publishers connected to this node only ({@link Peer#isLocal}):
 * a stream that arrives from another cluster node is recorded and bridged there, not here.
 * The player methods concern every stream; they are called under the stream's lock.
 */
public interface StreamObserver {

    /** A publisher started publishing {@code stream}; {@code sessionId} is its Welcome id. */
    default void publisherStarted(String stream, String sessionId) {}

    /** A track was announced or re-announced (the encoder configuration changed). */
    default void trackConfig(String stream, TrackConfig config) {}

    /**
     * One validated media packet.
     *
     * @param receivedAtMicros when the relay received it, on the relay clock
     */
    default void mediaPacket(String stream, MediaPacket packet, long receivedAtMicros) {}

    /**
     * The original bytes of each accepted TrackConfig or MediaPacket, after {@link #trackConfig}
     * or {@link #mediaPacket}: read-only and shared with the players, so read a duplicate.
     */
    default void envelope(String stream, ByteBuffer bytes) {}

    /** The publisher left (cleanly or not); the stream may resume with a new publisher. */
    default void publisherStopped(String stream, String sessionId) {}

    /** The stream got its first player on this node. */
    default void firstPlayerJoined(String stream) {}

    /** The last player of the stream on this node left. */
    default void lastPlayerLeft(String stream) {}
}
