package dev.tunnelcast.agent.capture;

/**
 * The machine-readable frame stamp (docs/frame-stamp.md): a row of 35 square blocks of
 * {@link #blockSize(int) B} pixels at the top left of the picture — white, black, the 32
 * bits of {@code (captureTimeMicros / 1000) mod 2^32} (most significant first, white = 1),
 * white. A player reads it back from displayed pixels to measure capture→display latency.
 */
public final class FrameStamp {

    public static final int BLOCKS = 35;
    public static final int LUMA_WHITE = 235;
    public static final int LUMA_BLACK = 16;
    public static final int LUMA_THRESHOLD = 128;

    private FrameStamp() {}

    /** {@code max(8, floor(width / 48))} rounded down to an even number. */
    public static int blockSize(int width) {
        return Math.max(8, width / 48) & ~1;
    }

    /** The value a stamp carries for a capture time on the relay clock. */
    public static long valueOf(long captureTimeMicros) {
        return (captureTimeMicros / 1000) & 0xFFFF_FFFFL;
    }

    /** Draws the stamp into an I420 frame (luma and neutral chroma under the blocks). */
    /** Whether a frame of this size has room for the stamp. */
    public static boolean fits(int width, int height) {
        int b = blockSize(width);
        return BLOCKS * b <= width && b <= height;
    }

    public static void draw(byte[] i420, int width, int height, long captureTimeMicros) {
        if (!fits(width, height)) {
            throw new IllegalArgumentException("frame " + width + "x" + height + " too small for the frame stamp");
        }
        int b = blockSize(width);
        long value = valueOf(captureTimeMicros);
        for (int i = 0; i < BLOCKS; i++) {
            fillBlock(i420, width, height, i * b, b, bit(i, value) ? LUMA_WHITE : LUMA_BLACK);
        }
    }

    private static boolean bit(int block, long value) {
        if (block == 0 || block == BLOCKS - 1) {
            return true;
        }
        if (block == 1) {
            return false;
        }
        return ((value >>> (31 - (block - 2))) & 1) == 1;
    }

    private static void fillBlock(byte[] i420, int width, int height, int x0, int b, int luma) {
        for (int y = 0; y < b; y++) {
            java.util.Arrays.fill(i420, y * width + x0, y * width + x0 + b, (byte) luma);
        }
        int cw = width / 2;
        int uBase = width * height;
        int vBase = uBase + cw * (height / 2);
        for (int y = 0; y < b / 2; y++) {
            java.util.Arrays.fill(i420, uBase + y * cw + x0 / 2, uBase + y * cw + (x0 + b) / 2, (byte) 128);
            java.util.Arrays.fill(i420, vBase + y * cw + x0 / 2, vBase + y * cw + (x0 + b) / 2, (byte) 128);
        }
    }

    /**
     * Reads a stamp from a luma plane (bit = luma > 128 at each block centre).
     *
     * @return the stamped value (capture time in ms mod 2^32)
     * @throws IllegalArgumentException if the marker blocks are not where they should be
     */
    public static long read(byte[] luma, int stride, int width) {
        int b = blockSize(width);
        int cy = b / 2;
        boolean[] bits = new boolean[BLOCKS];
        for (int i = 0; i < BLOCKS; i++) {
            bits[i] = (luma[cy * stride + i * b + b / 2] & 0xFF) > LUMA_THRESHOLD;
        }
        if (!bits[0] || bits[1] || !bits[BLOCKS - 1]) {
            throw new IllegalArgumentException("no frame stamp: marker blocks not found");
        }
        long value = 0;
        for (int i = 2; i < 34; i++) {
            value = (value << 1) | (bits[i] ? 1 : 0);
        }
        return value;
    }
}
