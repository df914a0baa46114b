package dev.tunnelcast.agent.encode;

import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

/**
 * H.264 through libx264 (or libopenh264 in an LGPL build). Low latency by construction:
 * zerolatency tuning, no B-frames, a fixed GOP with scene-cut keyframes off, SPS/PPS out of
 * band (global header). Output access units are converted to AVCC; the avcC and codec
 * string come from the encoder's SPS/PPS.
 */
public final class H264Encoder extends FFmpegVideoEncoder {

    public H264Encoder(VideoEncoderSettings settings) {
        super(settings);
    }

    /** libx264 reconfigures its rate control at the next frame. */
    @Override
    protected boolean reconfiguresBitrateLive() {
        return true;
    }

    @Override
    protected void setOptions(AVCodecContext ctx, AVDictionary opts) {
        if (settings.encoder().equals("libx264")) {
            av_dict_set(opts, "preset", settings.preset(), 0);
            av_dict_set(opts, "tune", "zerolatency", 0);
            if (!settings.profile().isEmpty()) {
                av_dict_set(opts, "profile", settings.profile(), 0);
            }
            if (!settings.level().isEmpty()) {
                av_dict_set(opts, "level", settings.level(), 0);
            }
            if (settings.crf() > 0) {
                av_dict_set(opts, "crf", Integer.toString(settings.crf()), 0);
            }
            av_dict_set(opts, "forced-idr", "1", 0);
            av_dict_set(opts, "x264-params", "scenecut=0:open-gop=0:bframes=0", 0);
        } else if (settings.encoder().equals("libopenh264")) {
            av_dict_set(opts, "rc_mode", "bitrate", 0);
            av_dict_set(opts, "allow_skip_frames", "0", 0);
            if (!settings.profile().isEmpty()) {
                av_dict_set(opts, "profile", settings.profile().equals("baseline") ? "constrained_baseline"
                        : settings.profile(), 0);
            }
        }
    }

    @Override
    protected VideoTrackFormat readFormat(byte[] extra) {
        if (extra.length == 0) {
            throw new EncoderException(settings.encoder() + " produced no SPS/PPS (global header)");
        }
        List<byte[]> sps = new ArrayList<>();
        List<byte[]> pps = new ArrayList<>();
        for (byte[] nal : H264Bitstream.splitAnnexB(extra)) {
            if (H264Bitstream.nalType(nal) == H264Bitstream.NAL_SPS) {
                sps.add(nal);
            } else if (H264Bitstream.nalType(nal) == H264Bitstream.NAL_PPS) {
                pps.add(nal);
            }
        }
        if (sps.isEmpty() || pps.isEmpty()) {
            throw new EncoderException(settings.encoder() + " extradata has no SPS/PPS");
        }
        return new VideoTrackFormat(H264Bitstream.codecString(sps.get(0)), H264Bitstream.avcC(sps, pps),
                settings.width(), settings.height(), settings.frameRate(), settings.bitrateBps());
    }

    /** FFmpeg's H.264 encoders emit Annex B; access units go out as AVCC, without AUDs. */
    @Override
    protected byte[] toWire(byte[] data) {
        List<byte[]> nals = H264Bitstream.splitAnnexB(data);
        nals.removeIf(n -> H264Bitstream.nalType(n) == H264Bitstream.NAL_AUD);
        return H264Bitstream.toAvcc(nals);
    }
}
