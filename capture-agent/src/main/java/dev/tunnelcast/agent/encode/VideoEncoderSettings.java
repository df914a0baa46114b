package dev.tunnelcast.agent.encode;

/**
 * How to encode video. {@code encoder} is an FFmpeg encoder name ({@code libx264},
 * {@code libopenh264}, {@code libvpx}, {@code libvpx-vp9}, {@code libsvtav1}: see
 * {@link VideoEncoders}); {@code crf} > 0 selects constant quality instead of the bitrate
 * (not libopenh264); {@code preset} is x264's preset name, or for libvpx/SVT-AV1 a speed
 * number (anything else: the encoder's realtime default); {@code keyframeIntervalFrames} is
 * a fixed GOP (scene-cut keyframes are off); {@code threads} 0 lets the encoder choose.
 */
public record VideoEncoderSettings(String encoder, int width, int height, int frameRate, int bitrateBps, int crf,
                                   String preset, String profile, String level, int keyframeIntervalFrames,
                                   int threads) {

    public VideoEncoderSettings {
        if (width <= 0 || height <= 0 || (width & 1) != 0 || (height & 1) != 0) {
            throw new IllegalArgumentException("video size must be positive and even, got " + width + "x" + height);
        }
        if (frameRate <= 0 || frameRate > 240) {
            throw new IllegalArgumentException("frame rate must be 1..240, got " + frameRate);
        }
        if (bitrateBps <= 0 && crf <= 0) {
            throw new IllegalArgumentException("give a bitrate or a CRF");
        }
        if (keyframeIntervalFrames <= 0) {
            throw new IllegalArgumentException("keyframe interval must be > 0 frames");
        }
    }

    public static VideoEncoderSettings defaults() {
        return new VideoEncoderSettings("libx264", 1280, 720, 30, 2_500_000, 0, "ultrafast", "high", "", 60, 0);
    }

    public VideoEncoderSettings withSize(int w, int h) {
        return new VideoEncoderSettings(encoder, w, h, frameRate, bitrateBps, crf, preset, profile, level,
                keyframeIntervalFrames, threads);
    }

    /** The settings of one simulcast layer: its size and bitrate, everything else shared. */
    public VideoEncoderSettings forLayer(LayerSpec layer) {
        return new VideoEncoderSettings(encoder, layer.width(), layer.height(), frameRate, layer.bitrateBps(), 0, preset,
                profile, level, keyframeIntervalFrames, threads);
    }

    public VideoEncoderSettings withEncoder(String name, String newPreset) {
        return new VideoEncoderSettings(name, width, height, frameRate, bitrateBps, crf, newPreset, profile, level,
                keyframeIntervalFrames, threads);
    }
}
