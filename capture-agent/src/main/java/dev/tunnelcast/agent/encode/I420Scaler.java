package dev.tunnelcast.agent.encode;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import dev.tunnelcast.agent.capture.RawVideoFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Scales I420 pictures of one size to another with FFmpeg's swscale (bilinear), into native
 * buffers allocated once. Used from one thread; {@link #close()} frees it.
 */
final class I420Scaler implements AutoCloseable {

    private final int srcWidth;
    private final int srcHeight;
    private final int dstWidth;
    private final int dstHeight;
    private final SwsContext context;
    private final BytePointer[] src;
    private final BytePointer[] dst;
    private final PointerPointer<BytePointer> srcPlanes;
    private final PointerPointer<BytePointer> dstPlanes;
    private final IntPointer srcStrides;
    private final IntPointer dstStrides;

    I420Scaler(int srcWidth, int srcHeight, int dstWidth, int dstHeight) {
        this.srcWidth = srcWidth;
        this.srcHeight = srcHeight;
        this.dstWidth = dstWidth;
        this.dstHeight = dstHeight;
        this.context = sws_getContext(srcWidth, srcHeight, AV_PIX_FMT_YUV420P, dstWidth, dstHeight, AV_PIX_FMT_YUV420P,
                SWS_BILINEAR, null, null, (DoublePointer) null);
        if (context == null) {
            throw new EncoderException("swscale cannot scale " + srcWidth + "x" + srcHeight + " to " + dstWidth + "x" + dstHeight);
        }
        src = planes(srcWidth, srcHeight);
        dst = planes(dstWidth, dstHeight);
        srcPlanes = new PointerPointer<>(src);
        dstPlanes = new PointerPointer<>(dst);
        srcStrides = new IntPointer(srcWidth, srcWidth / 2, srcWidth / 2);
        dstStrides = new IntPointer(dstWidth, dstWidth / 2, dstWidth / 2);
    }

    private static BytePointer[] planes(int width, int height) {
        return new BytePointer[] {new BytePointer((long) width * height), new BytePointer((long) width * height / 4),
                new BytePointer((long) width * height / 4)};
    }

    /** {@code frame} (of the source size) at the destination size, with the same capture time. */
    RawVideoFrame scale(RawVideoFrame frame) {
        if (frame.width() != srcWidth || frame.height() != srcHeight) {
            throw new IllegalArgumentException("a " + frame.width() + "x" + frame.height() + " frame for a scaler from "
                    + srcWidth + "x" + srcHeight);
        }
        copy(frame.i420(), src, srcWidth * srcHeight, true);
        sws_scale(context, srcPlanes, srcStrides, 0, srcHeight, dstPlanes, dstStrides);
        byte[] out = new byte[RawVideoFrame.sizeOf(dstWidth, dstHeight)];
        copy(out, dst, dstWidth * dstHeight, false);
        return new RawVideoFrame(dstWidth, dstHeight, out, frame.captureLocalMicros());
    }

    /** Between an I420 array and three native planes, either way. */
    private static void copy(byte[] i420, BytePointer[] planes, int lumaBytes, boolean toPlanes) {
        int offset = 0;
        for (int plane = 0; plane < 3; plane++) {
            int length = plane == 0 ? lumaBytes : lumaBytes / 4;
            if (toPlanes) {
                planes[plane].position(0).put(i420, offset, length);
            } else {
                planes[plane].position(0).get(i420, offset, length);
            }
            offset += length;
        }
    }

    @Override
    public void close() {
        sws_freeContext(context);
        for (BytePointer p : src) {
            p.close();
        }
        for (BytePointer p : dst) {
            p.close();
        }
        srcPlanes.close();
        dstPlanes.close();
        srcStrides.close();
        dstStrides.close();
    }
}
