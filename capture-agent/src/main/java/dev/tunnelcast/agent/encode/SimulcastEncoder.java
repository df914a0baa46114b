package dev.tunnelcast.agent.encode;

import dev.tunnelcast.agent.capture.RawVideoFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * One capture encoded as several simulcast layers (docs/agent.md, "Layers"): the top layer
 * encodes the captured frame, each lower one a scaled copy. Keyframes are at the same
 * captures in all layers: every layer has the same fixed GOP and sees every frame, a
 * {@link #requestKeyframe()} goes to all of them, and whenever the top layer emits a keyframe
 * the lower ones are made to key on that same frame. Used from one thread, except
 * {@link #requestKeyframe()}.
 */
public final class SimulcastEncoder implements AutoCloseable {

    private final List<VideoEncoder> encoders = new ArrayList<>();
    /** For each lower layer, its scaler (index 0, the top layer, has none). */
    private final List<FrameScaler> scalers = new ArrayList<>();

    /** @param top the top layer's settings; each layer takes its size and bitrate from {@code layers} */
    public SimulcastEncoder(VideoEncoderSettings top, List<LayerSpec> layers) {
        try {
            for (int i = 0; i < layers.size(); i++) {
                LayerSpec layer = layers.get(i);
                VideoEncoderSettings s = new VideoEncoderSettings(top.encoder(), layer.width(), layer.height(),
                        top.frameRate(), top.crf() > 0 ? 0 : layer.bitrateBps(), top.crf(), top.preset(), top.profile(),
                        top.level(), top.keyframeIntervalFrames(), top.threads());
                encoders.add(VideoEncoders.open(s));
                scalers.add(i == 0 ? null : new FrameScaler(layers.get(0).width(), layers.get(0).height(),
                        layer.width(), layer.height()));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public List<VideoEncoder> layers() {
        return List.copyOf(encoders);
    }

    /** The packets of each layer for one captured frame, top layer first. */
    public List<List<EncodedPacket>> encode(RawVideoFrame frame, long ptsMicros, long captureTimeMicros) {
        List<List<EncodedPacket>> out = new ArrayList<>(encoders.size());
        List<EncodedPacket> top = encoders.get(0).encode(frame, ptsMicros, captureTimeMicros);
        out.add(top);
        boolean topKeyed = top.stream().anyMatch(EncodedPacket::keyframe);
        for (int i = 1; i < encoders.size(); i++) {
            if (topKeyed) {
                encoders.get(i).requestKeyframe();
            }
            out.add(encoders.get(i).encode(scalers.get(i).scale(frame), ptsMicros, captureTimeMicros));
        }
        return out;
    }

    public void requestKeyframe() {
        encoders.forEach(VideoEncoder::requestKeyframe);
    }

    @Override
    public void close() {
        encoders.forEach(VideoEncoder::close);
        scalers.stream().filter(s -> s != null).forEach(FrameScaler::close);
    }
}
