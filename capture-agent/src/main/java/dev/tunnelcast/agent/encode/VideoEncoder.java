package dev.tunnelcast.agent.encode;

import dev.tunnelcast.agent.capture.RawVideoFrame;
import java.util.List;

/**
 * A video encoder: raw frames in, encoded access units out, in decode order with no
 * reordering (no B-frames), so that every output can be sent at once. Implementations
 * are used from one thread, except {@link #requestKeyframe()} and {@link #setBitrate(int)}
 * which may be called from any thread and take effect at the next frame.
 */
public interface VideoEncoder extends AutoCloseable {

    /** The track format: known once the encoder is open. */
    VideoTrackFormat format();

    List<EncodedPacket> encode(RawVideoFrame frame, long ptsMicros, long captureTimeMicros);

    /** The next frame will be an IDR frame. */
    void requestKeyframe();

    void setBitrate(int bitrateBps);

    int bitrateBps();

    @Override
    void close();
}
