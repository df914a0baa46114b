package dev.tunnelcast.agent.encode;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;

import java.util.List;

/** Picks the encoder implementation for an FFmpeg encoder name: the one table to extend for VP8/VP9/AV1. */
public final class VideoEncoders {

    public static final List<String> H264 = List.of("libx264", "libopenh264");

    private VideoEncoders() {}

    public static VideoEncoder open(VideoEncoderSettings settings) {
        if (H264.contains(settings.encoder())) {
            return new H264Encoder(settings);
        }
        throw new EncoderException("unsupported video encoder '" + settings.encoder() + "' (supported: " + H264 + ")");
    }

    /** Whether this FFmpeg build has the encoder at all. */
    public static boolean available(String name) {
        return avcodec_find_encoder_by_name(name) != null;
    }
}
