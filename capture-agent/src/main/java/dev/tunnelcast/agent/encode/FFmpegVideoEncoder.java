package dev.tunnelcast.agent.encode;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

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
 * The avcodec plumbing every video encoder shares: an I420 frame in, packets out, in
 * decode order (no B-frames, no lag), a fixed GOP, keyframe requests honoured through the
 * frame's picture type, bitrate changes applied at the next frame. A subclass sets its
 * encoder's options, reads the track format once the encoder is open, and converts each
 * output packet to the wire form of its codec.
 */
public abstract class FFmpegVideoEncoder implements VideoEncoder {

    protected static final int PTS_PER_SECOND = 1_000_000;

    protected final VideoEncoderSettings settings;
    private AVCodecContext ctx;
    private final AVFrame frame;
    private final AVPacket packet;
    private final VideoTrackFormat format;
    private final AtomicBoolean keyframeRequested = new AtomicBoolean();
    private final AtomicInteger targetBitrate;
    private final Deque<long[]> pending = new ArrayDeque<>(); // {pts, captureTime} per frame in flight
    private final List<EncodedPacket> reopenDrained = new ArrayList<>();
    private int appliedBitrate;
    private int reopens;
    private boolean closed;

    protected FFmpegVideoEncoder(VideoEncoderSettings settings) {
        this.settings = settings;
        ctx = openContext(settings.bitrateBps());
        targetBitrate = new AtomicInteger(settings.bitrateBps());
        appliedBitrate = settings.bitrateBps();
        frame = av_frame_alloc();
        frame.format(AV_PIX_FMT_YUV420P);
        frame.width(settings.width());
        frame.height(settings.height());
        packet = av_packet_alloc();
        try {
            check(av_frame_get_buffer(frame, 0), "av_frame_get_buffer");
            format = readFormat(extradata(ctx));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private AVCodecContext openContext(int bitrateBps) {
        AVCodec codec = avcodec_find_encoder_by_name(settings.encoder());
        if (codec == null) {
            throw new EncoderException("this FFmpeg build has no encoder '" + settings.encoder() + "'");
        }
        AVCodecContext c = avcodec_alloc_context3(codec);
        c.width(settings.width());
        c.height(settings.height());
        c.pix_fmt(AV_PIX_FMT_YUV420P);
        c.time_base(av_make_q(1, PTS_PER_SECOND));
        c.framerate(av_make_q(settings.frameRate(), 1));
        c.gop_size(settings.keyframeIntervalFrames());
        c.keyint_min(settings.keyframeIntervalFrames());
        c.max_b_frames(0);
        c.thread_count(settings.threads());
        c.flags(c.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        if (settings.crf() <= 0) {
            applyBitrate(c, bitrateBps);
        }
        AVDictionary opts = new AVDictionary(null);
        try {
            setOptions(c, opts);
            // as root, SVT-AV1's open leaves this thread and its own at SCHED_FIFO 99: undone here
            int err = RealtimeSchedulingUndo.around(() -> avcodec_open2(c, codec, opts));
            if (err < 0) {
                avcodec_free_context(c);
                throw new EncoderException("cannot open " + settings.encoder() + " " + settings.width() + "x"
                        + settings.height() + ": " + FFmpegErrors.describe(err));
            }
        } finally {
            av_dict_free(opts);
        }
        return c;
    }

    /**
     * Whether the FFmpeg wrapper applies a new {@code bit_rate} to a running encoder (libx264
     * does). When it does not (libvpx, SVT-AV1), a bitrate change reopens the encoder, which
     * starts again with a keyframe; the adaptive uplink changes the rate at most once a second.
     */
    protected boolean reconfiguresBitrateLive() {
        return false;
    }

    /** Encoder-specific options, set on the context or in the dictionary before the encoder opens. */
    protected abstract void setOptions(AVCodecContext ctx, AVDictionary opts);

    /** The track format from the encoder's global header (empty when it has none). */
    protected abstract VideoTrackFormat readFormat(byte[] extradata);

    /** One output packet as it goes on the wire (and into an MP4 sample). */
    protected abstract byte[] toWire(byte[] packetData);

    /** Target bitrate with a half-second buffer: even frame sizes keep the send queue short. */
    protected void applyBitrate(AVCodecContext ctx, int bps) {
        ctx.bit_rate(bps);
        ctx.rc_max_rate(bps);
        ctx.rc_buffer_size(Math.max(bps / 2, 1));
    }

    private static byte[] extradata(AVCodecContext ctx) {
        int size = ctx.extradata_size();
        byte[] extra = new byte[Math.max(size, 0)];
        if (size > 0) {
            ctx.extradata().get(extra);
        }
        return extra;
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
            if (reconfiguresBitrateLive()) {
                applyBitrate(ctx, wanted); // applied by the wrapper at the next frame
            } else {
                reopen(wanted);
            }
            appliedBitrate = wanted;
        }
        check(av_frame_make_writable(frame), "av_frame_make_writable");
        copyPlanes(raw);
        frame.pts(ptsMicros);
        frame.pict_type(keyframeRequested.getAndSet(false) ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
        pending.addLast(new long[] {ptsMicros, captureTimeMicros});
        check(avcodec_send_frame(ctx, frame), "avcodec_send_frame");
        if (reopenDrained.isEmpty()) {
            return drain();
        }
        List<EncodedPacket> out = new ArrayList<>(reopenDrained);
        reopenDrained.clear();
        out.addAll(drain());
        return out;
    }

    /** A fresh encoder at the new rate; frames in flight are drained first so none is lost. */
    private void reopen(int bitrateBps) {
        AVCodecContext fresh = openContext(bitrateBps);
        check(avcodec_send_frame(ctx, null), "flush");
        reopenDrained.addAll(drain());
        avcodec_free_context(ctx);
        ctx = fresh;
        reopens++;
    }

    /** How many times a bitrate change reopened the encoder. */
    public int reopens() {
        return reopens;
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
            out.add(new EncodedPacket(pts, PTS_PER_SECOND / settings.frameRate(), key, toWire(data), capture));
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
        if (packet != null) {
            av_packet_free(packet);
        }
        if (frame != null) {
            av_frame_free(frame);
        }
        avcodec_free_context(ctx);
    }
}
