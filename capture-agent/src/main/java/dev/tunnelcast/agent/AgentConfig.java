package dev.tunnelcast.agent;

import dev.tunnelcast.agent.capture.SourceSpec;
import dev.tunnelcast.agent.encode.LayerSpec;
import dev.tunnelcast.agent.encode.OpusSettings;
import dev.tunnelcast.agent.encode.VideoEncoderSettings;
import dev.tunnelcast.agent.publish.PublisherConfig;
import java.util.List;

/**
 * Everything an {@link Agent} needs. {@code video}/{@code audio} name separate sources (either
 * may be null for no such track); {@code input} is one file or URL carrying both and
 * replaces them. {@code stampFrames} draws the frame stamp and clock (the synthetic source).
 * {@code layers}, when not empty, makes the video a simulcast track of those layers; {@code
 * videoEncoder} then has the top layer's size and bitrate, and its other settings serve every layer.
 */
public record AgentConfig(SourceSpec video, SourceSpec audio, SourceSpec input, VideoEncoderSettings videoEncoder,
                          List<LayerSpec> layers, OpusSettings opus, boolean stampFrames, boolean adaptive,
                          PublisherConfig publisher) {

    public AgentConfig {
        layers = List.copyOf(layers);
        if (!layers.isEmpty() && adaptive) {
            throw new IllegalArgumentException("--adaptive and --layers do not go together: with layers the relay gives"
                    + " each player the layer its link carries");
        }
        if (!layers.isEmpty() && videoEncoder.crf() > 0) {
            throw new IllegalArgumentException("--crf and --layers do not go together: each layer has its bitrate");
        }
    }

    /** Without simulcast. */
    public AgentConfig(SourceSpec video, SourceSpec audio, SourceSpec input, VideoEncoderSettings videoEncoder,
                       OpusSettings opus, boolean stampFrames, boolean adaptive, PublisherConfig publisher) {
        this(video, audio, input, videoEncoder, List.of(), opus, stampFrames, adaptive, publisher);
    }

    public static Builder builder(PublisherConfig publisher) {
        return new Builder(publisher);
    }

    /** Defaults: the synthetic camera and microphone, 720p30 x264 ultrafast, stereo Opus 20 ms. */
    public static final class Builder {
        private SourceSpec video = SourceSpec.SYNTHETIC;
        private SourceSpec audio = SourceSpec.SYNTHETIC;
        private SourceSpec input;
        private VideoEncoderSettings videoEncoder = VideoEncoderSettings.defaults();
        private List<LayerSpec> layers = List.of();
        private OpusSettings opus = OpusSettings.defaults();
        private Boolean stampFrames;
        private boolean adaptive;
        private final PublisherConfig publisher;

        private Builder(PublisherConfig publisher) {
            this.publisher = publisher;
        }

        public Builder video(SourceSpec v) { this.video = v; return this; }
        public Builder audio(SourceSpec a) { this.audio = a; return this; }
        public Builder input(SourceSpec i) { this.input = i; return this; }
        public Builder videoEncoder(VideoEncoderSettings s) { this.videoEncoder = s; return this; }
        public Builder opus(OpusSettings s) { this.opus = s; return this; }
        public Builder layers(List<LayerSpec> l) { this.layers = l; return this; }
        public Builder stampFrames(boolean s) { this.stampFrames = s; return this; }
        public Builder adaptive(boolean a) { this.adaptive = a; return this; }

        public AgentConfig build() {
            boolean stamp = stampFrames != null ? stampFrames
                    : input == null && video != null && video.kind() == SourceSpec.Kind.SYNTHETIC;
            VideoEncoderSettings top = layers.isEmpty() || videoEncoder.crf() > 0 ? videoEncoder : videoEncoder.forLayer(layers.get(0));
            return new AgentConfig(video, audio, input, top, layers, opus, stamp, adaptive, publisher);
        }
    }
}
