package dev.tunnelcast.agent.testing;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_OPUS;
import static org.bytedeco.ffmpeg.global.avcodec.AV_EF_EXPLODE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_from_data;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.avutil.av_mallocz;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/** Decodes codec packets with FFmpeg's own decoders, the way a consumer of the wire would. */
public final class FFmpegDecoder implements AutoCloseable {

    /** A decoded picture: its size and its luma plane (stride = width). */
    public record Picture(int width, int height, byte[] luma, boolean keyFrame) {}

    private final AVCodecContext ctx;
    private final AVPacket packet = av_packet_alloc();
    private final AVFrame frame = av_frame_alloc();

    public FFmpegDecoder(int codecId, byte[] extradata) {
        this(avcodec_find_decoder(codecId), extradata);
    }

    /** A decoder by FFmpeg name, e.g. {@code libdav1d}, {@code vp9}. */
    public static FFmpegDecoder named(String name, byte[] extradata) {
        AVCodec codec = avcodec_find_decoder_by_name(name);
        if (codec == null) {
            throw new IllegalStateException("this FFmpeg build has no decoder '" + name + "'");
        }
        return new FFmpegDecoder(codec, extradata);
    }

    private FFmpegDecoder(AVCodec codec, byte[] extradata) {
        ctx = avcodec_alloc_context3(codec);
        int size = extradata.length + AV_INPUT_BUFFER_PADDING_SIZE;
        BytePointer extra = new BytePointer(av_mallocz(size)).capacity(size);
        extra.put(extradata, 0, extradata.length);
        ctx.extradata(extra);
        ctx.extradata_size(extradata.length);
        ctx.thread_count(1);
        ctx.err_recognition(AV_EF_EXPLODE); // a broken stream fails the test instead of being concealed
        int err = avcodec_open2(ctx, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null);
        if (err < 0) {
            throw new IllegalStateException("avcodec_open2: " + err);
        }
    }

    public static FFmpegDecoder h264(byte[] avcC) {
        return new FFmpegDecoder(AV_CODEC_ID_H264, avcC);
    }

    public static FFmpegDecoder opus(byte[] opusHead) {
        return new FFmpegDecoder(AV_CODEC_ID_OPUS, opusHead);
    }

    /** Sends one packet; returns the pictures it produced (video). Throws if FFmpeg rejects the packet. */
    public List<Picture> decodeVideo(byte[] data, long pts) {
        send(data, pts);
        List<Picture> out = new ArrayList<>();
        while (avcodec_receive_frame(ctx, frame) == 0) {
            int w = frame.width();
            int h = frame.height();
            byte[] luma = new byte[w * h];
            BytePointer y = frame.data(0);
            for (int row = 0; row < h; row++) {
                y.position((long) row * frame.linesize(0)).get(luma, row * w, w);
            }
            y.position(0);
            out.add(new Picture(w, h, luma, (frame.flags() & (1 << 1)) != 0 /* AV_FRAME_FLAG_KEY */));
            av_frame_unref(frame);
        }
        return out;
    }

    /** Sends one packet; returns the number of samples per channel it decoded to (audio). */
    public int decodeAudio(byte[] data, long pts) {
        send(data, pts);
        int samples = 0;
        while (avcodec_receive_frame(ctx, frame) == 0) {
            samples += frame.nb_samples();
            av_frame_unref(frame);
        }
        return samples;
    }

    public int channels() {
        return ctx.ch_layout().nb_channels();
    }

    private void send(byte[] data, long pts) {
        byte[] padded = java.util.Arrays.copyOf(data, data.length + AV_INPUT_BUFFER_PADDING_SIZE);
        BytePointer buf = new BytePointer(av_malloc(padded.length)).capacity(padded.length);
        buf.put(padded, 0, padded.length);
        int err = av_packet_from_data(packet, buf, data.length);
        if (err < 0) {
            throw new IllegalStateException("av_packet_from_data: " + err);
        }
        packet.pts(pts);
        err = avcodec_send_packet(ctx, packet);
        av_packet_unref(packet);
        if (err < 0) {
            throw new IllegalStateException("FFmpeg refused the packet: error " + err);
        }
    }

    @Override
    public void close() {
        av_frame_free(frame);
        av_packet_free(packet);
        avcodec_free_context(ctx);
    }
}
