package dev.tunnelcast.agent.encode;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Picks the encoder implementation for a codec and an FFmpeg encoder name: the one table to extend. */
public final class VideoEncoders {

    /** The video codecs the agent can send; the first encoder of each is its default. */
    public enum Codec {
        H264(List.of("libx264", "libopenh264"), H264Encoder::new),
        VP8(List.of("libvpx"), VpxEncoder::new),
        VP9(List.of("libvpx-vp9"), VpxEncoder::new),
        AV1(List.of("libsvtav1"), Av1Encoder::new);

        private final List<String> encoders;
        private final Function<VideoEncoderSettings, VideoEncoder> factory;

        Codec(List<String> encoders, Function<VideoEncoderSettings, VideoEncoder> factory) {
            this.encoders = encoders;
            this.factory = factory;
        }

        public List<String> encoders() {
            return encoders;
        }

        public String defaultEncoder() {
            return encoders.get(0);
        }

        /** {@code h264}, {@code vp8}, {@code vp9}, {@code av1} (any case). */
        public static Codec parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown codec '" + name + "' (known: "
                        + Arrays.stream(values()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList() + ")");
            }
        }

        /** The codec an FFmpeg encoder name produces. */
        public static Codec ofEncoder(String encoder) {
            for (Codec c : values()) {
                if (c.encoders.contains(encoder)) {
                    return c;
                }
            }
            throw new EncoderException("unsupported video encoder '" + encoder + "' (supported: " + allEncoders() + ")");
        }
    }

    public static final List<String> H264 = Codec.H264.encoders();

    private VideoEncoders() {}

    public static VideoEncoder open(VideoEncoderSettings settings) {
        return Codec.ofEncoder(settings.encoder()).factory.apply(settings);
    }

    public static List<String> allEncoders() {
        return Arrays.stream(Codec.values()).flatMap(c -> c.encoders.stream()).toList();
    }

    /** Whether this FFmpeg build has the encoder at all. */
    public static boolean available(String name) {
        return avcodec_find_encoder_by_name(name) != null;
    }
}
