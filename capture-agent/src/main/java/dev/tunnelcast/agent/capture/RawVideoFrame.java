package dev.tunnelcast.agent.capture;

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

    public static int sizeOf(int width, int height) {
        return width * height * 3 / 2;
    }
}
