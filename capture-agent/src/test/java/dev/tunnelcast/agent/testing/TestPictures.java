package dev.tunnelcast.agent.testing;

import java.util.Random;

/** Pictures for encoder tests, made by the test (no media fixtures are committed). */
public final class TestPictures {

    private TestPictures() {}

    /**
     * A camera-like picture: a gradient moving 8 px per frame plus sensor noise of ±8.
     * (Pure full-range noise at these bitrates starves x264's rate control until it skips
     * the top macroblock row, which then still shows the previous frame's stamp — see
     * docs/frame-stamp.md.)
     */
    public static byte[] camera(int w, int h, int frame) {
        byte[] f = new byte[w * h * 3 / 2];
        Random random = new Random(frame);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                f[y * w + x] = (byte) (((x + y + frame * 8) & 0xFF) / 2 + 64 + random.nextInt(17) - 8);
            }
        }
        java.util.Arrays.fill(f, w * h, f.length, (byte) 128);
        return f;
    }
}
