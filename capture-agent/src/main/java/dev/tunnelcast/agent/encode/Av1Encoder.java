package dev.tunnelcast.agent.encode;

import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

/**
 * AV1 through SVT-AV1 (libsvtav1: low-delay prediction structure, CBR, a fast preset, no
 * scene-change keyframes). (libaom-av1 is not offered: FFmpeg's wrapper gives it no global
 * header at open, and the track config must be known before the first frame.)
 * Temporal units go out without temporal delimiters (the MP4 sample form); the codec
 * string and the av1C come from the sequence header in the encoder's global header.
 */
public final class Av1Encoder extends FFmpegVideoEncoder {

    public Av1Encoder(VideoEncoderSettings settings) {
        super(settings);
    }

    @Override
    protected void setOptions(AVCodecContext ctx, AVDictionary opts) {
        ctx.qmin(1);
        ctx.qmax(63); // the whole AV1 range: at low rates CBR needs the coarse quantizers
        // At most 10: SVT-AV1 maps 11 and 12 to 10 without rtc, and with rtc they deadlock (see below).
        av_dict_set(opts, "preset", Integer.toString(Math.min(VpxEncoder.speed(settings.preset(), 10), 10)), 0);
        if (settings.crf() > 0) {
            av_dict_set(opts, "crf", Integer.toString(settings.crf()), 0);
        }
        // pred-struct 1 = low delay (no reordering); scd 0 = keyframes only where the GOP says.
        // rtc 1 = SVT-AV1's real-time mode (presets 7 to 12). SVT-AV1 3.1.2 (in JavaCPP's FFmpeg) can deadlock
        // inside avcodec_send_frame, every thread idle, its picture decision waiting for a reference slot
        // (send_picture_out, ref_buffer_available_semaphore), when its low-delay mode keeps only 2 reference
        // buffers (ld_reduce_ref_buffs 2: preset 10 without rtc, 11 and 12 with it). With rtc, presets up to 10
        // keep the full set. 1000 short encodes beside a CPU hog: 6 hung without rtc, none with it.
        av_dict_set(opts, "svtav1-params", "pred-struct=1:scd=0:lookahead=0:rtc=1", 0);
    }

    @Override
    protected VideoTrackFormat readFormat(byte[] extradata) {
        byte[] obus = extradata;
        if (obus.length >= 4 && (obus[0] & 0xFF) == 0x81) {
            obus = java.util.Arrays.copyOfRange(obus, 4, obus.length); // an av1C: its configOBUs follow 4 bytes
        }
        Av1Bitstream.SequenceHeader seq = obus.length == 0 ? null : Av1Bitstream.findSequenceHeader(obus);
        if (seq == null) {
            throw new EncoderException(settings.encoder() + " produced no AV1 sequence header (global header)");
        }
        return new VideoTrackFormat(seq.codecString(), seq.av1C(), settings.width(), settings.height(),
                settings.frameRate(), settings.bitrateBps());
    }

    @Override
    protected byte[] toWire(byte[] packetData) {
        return Av1Bitstream.withoutTemporalDelimiters(packetData);
    }
}
