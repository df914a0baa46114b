package dev.tunnelcast.agent.encode;

import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

/**
 * VP8 (libvpx) and VP9 (libvpx-vp9) in libvpx's realtime mode: deadline realtime, no lag,
 * error-resilient, CBR (min = max = target rate), cyclic-refresh AQ and row threading for
 * VP9. Packets are raw VP8/VP9 frames (the MP4 sample form); the decoder config is the
 * vpcC the MP4 binding defines, built from the settings (libvpx has no global header).
 */
public final class VpxEncoder extends FFmpegVideoEncoder {

    public VpxEncoder(VideoEncoderSettings settings) {
        super(settings);
    }

    private boolean vp9() {
        return settings.encoder().equals("libvpx-vp9");
    }

    @Override
    protected void setOptions(AVCodecContext ctx, AVDictionary opts) {
        av_dict_set(opts, "deadline", "realtime", 0);
        av_dict_set(opts, "cpu-used", Integer.toString(speed(settings.preset(), vp9() ? 8 : 12)), 0);
        av_dict_set(opts, "lag-in-frames", "0", 0);
        av_dict_set(opts, "error-resilient", "default", 0);
        av_dict_set(opts, "auto-alt-ref", "0", 0);
        av_dict_set(opts, "max-intra-rate", "300", 0); // a keyframe is at most 3 frames' worth of bits
        if (settings.crf() > 0) {
            av_dict_set(opts, "crf", Integer.toString(settings.crf()), 0);
        }
        if (vp9()) {
            av_dict_set(opts, "row-mt", "1", 0);
            av_dict_set(opts, "aq-mode", "3", 0); // cyclic refresh, libvpx's choice for realtime
            av_dict_set(opts, "tile-columns", "1", 0);
        }
    }

    /** libvpx's CBR needs min = max = target rate. */
    @Override
    protected void applyBitrate(AVCodecContext ctx, int bps) {
        super.applyBitrate(ctx, bps);
        ctx.rc_min_rate(bps);
    }

    @Override
    protected VideoTrackFormat readFormat(byte[] extradata) {
        VpxConfig config = vp9() ? VpxConfig.vp9(settings.width(), settings.height(), settings.frameRate())
                : VpxConfig.vp8();
        return new VideoTrackFormat(config.codecString(), config.vpcC(), settings.width(), settings.height(),
                settings.frameRate(), settings.bitrateBps());
    }

    @Override
    protected byte[] toWire(byte[] packetData) {
        return packetData;
    }

    /** A numeric {@code --preset} is the encoder's speed; anything else (x264's names) means the default. */
    static int speed(String preset, int fallback) {
        try {
            return Integer.parseInt(preset.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
