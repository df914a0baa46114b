package dev.tunnelcast.agent.capture;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * One captured picture in planar YUV 4:2:0 (I420: Y, then U, then V, no padding), with
 * the local clock time at which it was captured.
 */
public record RawVideoFrame(int width, int height, byte[] i420, long captureLocalMicros) {

    public RawVideoFrame {
        if (width <= 0 || height <= 0 || (width & 1) != 0 || (height & 1) != 0) {
            throw new IllegalArgumentException("frame size must be positive and even: " + width + "x" + height);
        }
        if (i420.length != sizeOf(width, height)) {
            throw new IllegalArgumentException("I420 buffer of " + i420.length + " bytes for " + width + "x" + height);
        }
    }

    /** Copies the three planes of a YUV 4:2:0 AVFrame, whatever its line padding. */
    public static RawVideoFrame copyOf(AVFrame picture, long captureLocalMicros) {
        int w = picture.width();
        int h = picture.height();
        byte[] data = new byte[sizeOf(w, h)];
        int offset = 0;
        for (int plane = 0; plane < 3; plane++) {
            int pw = plane == 0 ? w : w / 2;
            int ph = plane == 0 ? h : h / 2;
            BytePointer src = picture.data(plane);
            int stride = picture.linesize(plane);
            for (int y = 0; y < ph; y++) {
                src.position((long) y * stride).get(data, offset, pw);
                offset += pw;
            }
            src.position(0);
        }
        return new RawVideoFrame(w, h, data, captureLocalMicros);
    }

    public static int sizeOf(int width, int height) {
        return width * height * 3 / 2;
    }
}
