package dev.tunnelcast.agent.encode;

import dev.tunnelcast.agent.capture.RawVideoFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One captured picture in, one encode per simulcast layer out (docs/agent.md, "Simulcast"):
 * the top layer encodes the picture as captured, each lower one a copy scaled down to its size.
 * Keyframes are aligned: every layer's encoder has the same fixed GOP and sees the same frames,
 * and a keyframe request is applied to all of them before the same frame (a request arriving
 * between two layers' encodes of a frame would otherwise split the layers' GOPs). Used from one
 * thread, except {@link #requestKeyframe()}.
 */
public final class SimulcastEncoder implements AutoCloseable {

    /** One layer's output for one picture. */
    public record LayerPackets(int layer, List<EncodedPacket> packets) {}

    private final List<VideoEncoder> encoders = new ArrayList<>();
    /** Per layer below the top: its scaler from the top size. */
    private final List<I420Scaler> scalers = new ArrayList<>();
    private final AtomicBoolean keyframeRequested = new AtomicBoolean();

    /** Opens an encoder per layer: {@code base}'s encoder and settings at each layer's size and bitrate. */
    public SimulcastEncoder(VideoEncoderSettings base, List<LayerSpec> layers) {
        try {
            LayerSpec top = layers.get(0);
            for (LayerSpec layer : layers) {
                encoders.add(VideoEncoders.open(base.forLayer(layer)));
                if (layer != top) {
                    scalers.add(new I420Scaler(top.width(), top.height(), layer.width(), layer.height()));
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Each layer's track format, top first. */
    public List<VideoTrackFormat> formats() {
        return encoders.stream().map(VideoEncoder::format).toList();
    }

    /**
     * Encodes {@code frame} (at the top layer's size) on every layer.
     *
     * @param scaled called with each scaled-down picture before it is encoded (the frame stamp is redrawn there)
     */
    public List<LayerPackets> encode(RawVideoFrame frame, long ptsMicros, long captureTimeMicros,
                                     Consumer<RawVideoFrame> scaled) {
        if (keyframeRequested.getAndSet(false)) {
            encoders.forEach(VideoEncoder::requestKeyframe);
        }
        List<LayerPackets> out = new ArrayList<>(encoders.size());
        for (int layer = 0; layer < encoders.size(); layer++) {
            RawVideoFrame picture = frame;
            if (layer > 0) {
                picture = scalers.get(layer - 1).scale(frame);
                scaled.accept(picture);
            }
            out.add(new LayerPackets(layer, encoders.get(layer).encode(picture, ptsMicros, captureTimeMicros)));
        }
        return out;
    }

    /** The next picture is a keyframe on every layer. */
    public void requestKeyframe() {
        keyframeRequested.set(true);
    }

    /** The layers' bitrates summed. */
    public int bitrateBps() {
        return encoders.stream().mapToInt(VideoEncoder::bitrateBps).sum();
    }

    @Override
    public void close() {
        encoders.forEach(VideoEncoder::close);
        scalers.forEach(I420Scaler::close);
    }
}
