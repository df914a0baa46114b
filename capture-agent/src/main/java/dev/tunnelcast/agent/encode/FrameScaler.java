package dev.tunnelcast.agent.encode;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale_frame;

import dev.tunnelcast.agent.capture.RawVideoFrame;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;

/**
 * Scales I420 frames of one size to another with FFmpeg's swscale (bilinear): the picture a
 * lower simulcast layer encodes. Used from one thread; {@link #close()} frees the native state.
 */
public final class FrameScaler implements AutoCloseable {

    private final int width;
    private final int height;
    private final SwsContext context;
    private final AVFrame source;
    private final AVFrame target;

    public FrameScaler(int sourceWidth, int sourceHeight, int width, int height) {
        this.width = width;
        this.height = height;
        context = sws_getContext(sourceWidth, sourceHeight, AV_PIX_FMT_YUV420P, width, height, AV_PIX_FMT_YUV420P,
                SWS_BILINEAR, null, null, (DoublePointer) null);
        source = frame(sourceWidth, sourceHeight);
        target = frame(width, height);
        if (context == null || source == null || target == null) {
            close();
            throw new EncoderException("cannot scale " + sourceWidth + "x" + sourceHeight + " to " + width + "x" + height);
        }
    }

    public RawVideoFrame scale(RawVideoFrame raw) {
        if (raw.width() != source.width() || raw.height() != source.height()) {
            throw new IllegalArgumentException("frame " + raw.width() + "x" + raw.height() + " for a scaler from "
                    + source.width() + "x" + source.height());
        }
        av_frame_make_writable(source);
        av_frame_make_writable(target);
        byte[] src = raw.i420();
        int offset = 0;
        for (int plane = 0; plane < 3; plane++) {
            int pw = plane == 0 ? raw.width() : raw.width() / 2;
            int ph = plane == 0 ? raw.height() : raw.height() / 2;
            BytePointer dst = source.data(plane);
            int stride = source.linesize(plane);
            for (int y = 0; y < ph; y++) {
                dst.position((long) y * stride).put(src, offset, pw);
                offset += pw;
            }
            dst.position(0);
        }
        int err = sws_scale_frame(context, target, source);
        if (err < 0) {
            throw new EncoderException("sws_scale_frame to " + width + "x" + height + " failed: " + err);
        }
        return RawVideoFrame.copyOf(target, raw.captureLocalMicros());
    }

    private static AVFrame frame(int w, int h) {
        AVFrame f = av_frame_alloc();
        if (f == null) {
            return null;
        }
        f.format(AV_PIX_FMT_YUV420P);
        f.width(w);
        f.height(h);
        if (av_frame_get_buffer(f, 0) < 0) {
            av_frame_free(f);
            return null;
        }
        return f;
    }

    @Override
    public void close() {
        if (context != null) {
            sws_freeContext(context);
        }
        if (source != null) {
            av_frame_free(source);
        }
        if (target != null) {
            av_frame_free(target);
        }
    }
}
