package dev.tunnelcast.agent.capture;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Draws a running clock (HH:MM:SS.mmm, UTC, relay clock) into the luma plane of an I420
 * frame with a tiny built-in 5x7 font, so a person can read capture times off the screen.
 */
public final class ClockOverlay {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final String GLYPHS = "0123456789:.";
    // Rows of 5 bits, top to bottom, for each glyph above.
    private static final int[][] FONT = {
        {14, 17, 19, 21, 25, 17, 14}, {4, 12, 4, 4, 4, 4, 14}, {14, 17, 1, 2, 4, 8, 31}, {31, 2, 4, 2, 1, 17, 14},
        {2, 6, 10, 18, 31, 2, 2}, {31, 16, 30, 1, 1, 17, 14}, {6, 8, 16, 30, 17, 17, 14}, {31, 1, 2, 4, 8, 8, 8},
        {14, 17, 17, 14, 17, 17, 14}, {14, 17, 17, 15, 1, 2, 12}, {0, 12, 12, 0, 12, 12, 0}, {0, 0, 0, 0, 0, 12, 12},
    };

    private ClockOverlay() {}

    /** Draws the time below the frame stamp, scaled to the frame width. */
    public static void draw(byte[] i420, int width, int height, long relayTimeMicros) {
        String text = FORMAT.format(Instant.ofEpochSecond(0, relayTimeMicros * 1000));
        int scale = Math.max(2, width / 160);
        int x0 = scale * 2;
        int y0 = FrameStamp.blockSize(width) * 2;
        int textWidth = text.length() * 6 * scale;
        if (y0 + 9 * scale > height || x0 + textWidth > width) {
            return; // too small a frame for a readable clock; the stamp still carries the time
        }
        fillLuma(i420, width, x0 - scale, y0 - scale, textWidth + scale, 9 * scale, 16);
        for (int c = 0; c < text.length(); c++) {
            int[] glyph = FONT[GLYPHS.indexOf(text.charAt(c))];
            for (int row = 0; row < 7; row++) {
                for (int col = 0; col < 5; col++) {
                    if ((glyph[row] >> (4 - col) & 1) == 1) {
                        fillLuma(i420, width, x0 + (c * 6 + col) * scale, y0 + row * scale, scale, scale, 235);
                    }
                }
            }
        }
    }

    private static void fillLuma(byte[] i420, int width, int x, int y, int w, int h, int luma) {
        for (int row = y; row < y + h; row++) {
            java.util.Arrays.fill(i420, row * width + x, row * width + x + w, (byte) luma);
        }
    }
}
