package dev.tunnelcast.agent.encode;

import java.util.Set;

/** Opus encoder settings: 48 kHz, mono or stereo, frames of 10, 20, 40 or 60 ms. */
public record OpusSettings(int channels, int frameMillis, int bitrateBps, int complexity, boolean inbandFec,
                           boolean dtx) {

    public static final int SAMPLE_RATE = 48_000;
    private static final Set<Integer> FRAME_MILLIS = Set.of(10, 20, 40, 60);

    public OpusSettings {
        if (channels != 1 && channels != 2) {
            throw new IllegalArgumentException("Opus channels must be 1 or 2, got " + channels);
        }
        if (!FRAME_MILLIS.contains(frameMillis)) {
            throw new IllegalArgumentException("Opus frame must be 10, 20, 40 or 60 ms, got " + frameMillis);
        }
        if (bitrateBps < 6_000 || bitrateBps > 510_000) {
            throw new IllegalArgumentException("Opus bitrate must be 6000..510000 b/s, got " + bitrateBps);
        }
        if (complexity < 0 || complexity > 10) {
            throw new IllegalArgumentException("Opus complexity must be 0..10, got " + complexity);
        }
    }

    public static OpusSettings defaults() {
        return new OpusSettings(2, 20, 96_000, 8, false, false);
    }

    public int samplesPerFrame() {
        return SAMPLE_RATE / 1000 * frameMillis;
    }
}
