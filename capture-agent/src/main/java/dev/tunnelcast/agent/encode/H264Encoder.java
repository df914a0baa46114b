package dev.tunnelcast.agent.encode;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import dev.tunnelcast.agent.capture.RawVideoFrame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * H.264 through FFmpeg's avcodec API (libx264, or libopenh264 in an LGPL build). Low
 * latency by construction: zerolatency tuning, no B-frames, a fixed GOP with scene-cut
 * keyframes off, SPS/PPS out of band (global header). Output access units are converted
 * to AVCC; the avcC and codec string come from the encoder's SPS/PPS.
 */
public final class H264Encoder implements VideoEncoder {

    private static final int PTS_PER_SECOND = 1_000_000;

    private final VideoEncoderSettings settings;
    private final AVCodecContext ctx;
    private final AVFrame frame;
    private final AVPacket packet;
    private final VideoTrackFormat format;
    private final AtomicBoolean keyframeRequested = new AtomicBoolean();
    private final AtomicInteger targetBitrate;
    private final Deque<long[]> pending = new ArrayDeque<>(); // {pts, captureTime} per frame in flight
    private int appliedBitrate;
    private boolean closed;

    public H264Encoder(VideoEncoderSettings settings) {
        this.settings = settings;
        AVCodec codec = avcodec_find_encoder_by_name(settings.encoder());
        if (codec == null) {
            throw new EncoderException("this FFmpeg build has no encoder '" + settings.encoder() + "'");
        }
        ctx = avcodec_alloc_context3(codec);
        ctx.width(settings.width());
        ctx.height(settings.height());
        ctx.pix_fmt(AV_PIX_FMT_YUV420P);
        ctx.time_base(av_make_q(1, PTS_PER_SECOND));
        ctx.framerate(av_make_q(settings.frameRate(), 1));
        ctx.gop_size(settings.keyframeIntervalFrames());
        ctx.keyint_min(settings.keyframeIntervalFrames());
        ctx.max_b_frames(0);
        ctx.thread_count(settings.threads());
        ctx.flags(ctx.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        if (settings.crf() <= 0) {
            applyBitrate(settings.bitrateBps());
        }
        targetBitrate = new AtomicInteger(settings.bitrateBps());
        appliedBitrate = settings.bitrateBps();

        AVDictionary opts = new AVDictionary(null);
        try {
            setOptions(opts);
            int err = avcodec_open2(ctx, codec, opts);
            if (err < 0) {
                avcodec_free_context(ctx);
                throw new EncoderException("cannot open " + settings.encoder() + " " + settings.width() + "x"
                        + settings.height() + ": " + FFmpegErrors.describe(err));
            }
        } finally {
            av_dict_free(opts);
        }
        frame = av_frame_alloc();
        frame.format(AV_PIX_FMT_YUV420P);
        frame.width(settings.width());
        frame.height(settings.height());
        check(av_frame_get_buffer(frame, 0), "av_frame_get_buffer");
        packet = av_packet_alloc();
        format = readFormat();
    }

    private void setOptions(AVDictionary opts) {
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

    private void applyBitrate(int bps) {
        ctx.bit_rate(bps);
        ctx.rc_max_rate(bps);
        // Half a second of VBV keeps frame sizes even, which keeps the send queue short.
        ctx.rc_buffer_size(Math.max(bps / 2, 1));
    }

    private VideoTrackFormat readFormat() {
        int size = ctx.extradata_size();
        if (size <= 0) {
            throw new EncoderException(settings.encoder() + " produced no SPS/PPS (global header)");
        }
        byte[] extra = new byte[size];
        ctx.extradata().get(extra);
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

    @Override
    public VideoTrackFormat format() {
        return format;
    }

    @Override
    public void requestKeyframe() {
        keyframeRequested.set(true);
    }

    @Override
    public void setBitrate(int bitrateBps) {
        if (bitrateBps > 0) {
            targetBitrate.set(bitrateBps);
        }
    }

    @Override
    public int bitrateBps() {
        return targetBitrate.get();
    }

    @Override
    public List<EncodedPacket> encode(RawVideoFrame raw, long ptsMicros, long captureTimeMicros) {
        if (raw.width() != settings.width() || raw.height() != settings.height()) {
            throw new IllegalArgumentException("frame " + raw.width() + "x" + raw.height() + " for an encoder of "
                    + settings.width() + "x" + settings.height());
        }
        int wanted = targetBitrate.get();
        if (settings.crf() <= 0 && wanted != appliedBitrate) {
            applyBitrate(wanted); // libx264 reconfigures on the next frame
            appliedBitrate = wanted;
        }
        check(av_frame_make_writable(frame), "av_frame_make_writable");
        copyPlanes(raw);
        frame.pts(ptsMicros);
        frame.pict_type(keyframeRequested.getAndSet(false) ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
        pending.addLast(new long[] {ptsMicros, captureTimeMicros});
        check(avcodec_send_frame(ctx, frame), "avcodec_send_frame");
        return drain();
    }

    private void copyPlanes(RawVideoFrame raw) {
        int w = raw.width();
        int h = raw.height();
        byte[] src = raw.i420();
        int offset = 0;
        for (int plane = 0; plane < 3; plane++) {
            int pw = plane == 0 ? w : w / 2;
            int ph = plane == 0 ? h : h / 2;
            BytePointer dst = frame.data(plane);
            int stride = frame.linesize(plane);
            for (int y = 0; y < ph; y++) {
                dst.position((long) y * stride).put(src, offset, pw);
                offset += pw;
            }
            dst.position(0);
        }
    }

    private List<EncodedPacket> drain() {
        List<EncodedPacket> out = new ArrayList<>(1);
        while (true) {
            int err = avcodec_receive_packet(ctx, packet);
            if (err == AVERROR_EAGAIN() || err == AVERROR_EOF) {
                return out;
            }
            check(err, "avcodec_receive_packet");
            byte[] data = new byte[packet.size()];
            packet.data().get(data);
            boolean key = (packet.flags() & AV_PKT_FLAG_KEY) != 0;
            long pts = packet.pts();
            long capture = captureTimeFor(pts);
            av_packet_unref(packet);
            out.add(new EncodedPacket(pts, PTS_PER_SECOND / settings.frameRate(), key, toAvcc(data), capture));
        }
    }

    private long captureTimeFor(long pts) {
        while (!pending.isEmpty()) {
            long[] head = pending.removeFirst();
            if (head[0] == pts) {
                return head[1];
            }
        }
        return 0;
    }

    /** FFmpeg's H.264 encoders emit Annex B; access units go out as AVCC, without AUDs. */
    private static byte[] toAvcc(byte[] data) {
        List<byte[]> nals = H264Bitstream.splitAnnexB(data);
        nals.removeIf(n -> {
            int t = H264Bitstream.nalType(n);
            return t == H264Bitstream.NAL_AUD;
        });
        return H264Bitstream.toAvcc(nals);
    }

    private void check(int err, String what) {
        if (err < 0) {
            throw new EncoderException(settings.encoder() + ": " + what + " failed: " + FFmpegErrors.describe(err));
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        av_packet_free(packet);
        av_frame_free(frame);
        avcodec_free_context(ctx);
    }
}
