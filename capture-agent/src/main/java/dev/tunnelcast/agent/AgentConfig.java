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
 * {@code layers} (empty: none) encodes the video as simulcast layers, the first one at the
 * size and bitrate of {@code videoEncoder}.
 */
public record AgentConfig(SourceSpec video, SourceSpec audio, SourceSpec input, VideoEncoderSettings videoEncoder,
                          OpusSettings opus, boolean stampFrames, boolean adaptive, PublisherConfig publisher,
                          List<LayerSpec> layers) {

    public AgentConfig {
        layers = List.copyOf(layers);
        if (!layers.isEmpty() && (layers.get(0).width() != videoEncoder.width() || layers.get(0).height() != videoEncoder.height())) {
            throw new IllegalArgumentException("the top layer must have the video size");
        }
    }

    /** Without simulcast layers. */
    public AgentConfig(SourceSpec video, SourceSpec audio, SourceSpec input, VideoEncoderSettings videoEncoder,
                       OpusSettings opus, boolean stampFrames, boolean adaptive, PublisherConfig publisher) {
        this(video, audio, input, videoEncoder, opus, stampFrames, adaptive, publisher, List.of());
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
        private OpusSettings opus = OpusSettings.defaults();
        private Boolean stampFrames;
        private boolean adaptive;
        private List<LayerSpec> layers = List.of();
        private final PublisherConfig publisher;

        private Builder(PublisherConfig publisher) {
            this.publisher = publisher;
        }

        public Builder video(SourceSpec v) { this.video = v; return this; }
        public Builder audio(SourceSpec a) { this.audio = a; return this; }
        public Builder input(SourceSpec i) { this.input = i; return this; }
        public Builder videoEncoder(VideoEncoderSettings s) { this.videoEncoder = s; return this; }
        public Builder opus(OpusSettings s) { this.opus = s; return this; }
        public Builder stampFrames(boolean s) { this.stampFrames = s; return this; }
        public Builder adaptive(boolean a) { this.adaptive = a; return this; }
        /** Simulcast layers, top first; the video encoder takes the top one's size and bitrate. */
        public Builder layers(List<LayerSpec> l) {
            this.layers = l;
            if (!l.isEmpty()) {
                LayerSpec top = l.get(0);
                VideoEncoderSettings s = videoEncoder.withSize(top.width(), top.height());
                videoEncoder = new VideoEncoderSettings(s.encoder(), s.width(), s.height(), s.frameRate(),
                        s.crf() > 0 ? 0 : top.bitrateBps(), s.crf(), s.preset(), s.profile(), s.level(),
                        s.keyframeIntervalFrames(), s.threads());
            }
            return this;
        }

        public AgentConfig build() {
            boolean stamp = stampFrames != null ? stampFrames
                    : input == null && video != null && video.kind() == SourceSpec.Kind.SYNTHETIC;
            return new AgentConfig(video, audio, input, videoEncoder, opus, stamp, adaptive, publisher, layers);
        }
    }
}
