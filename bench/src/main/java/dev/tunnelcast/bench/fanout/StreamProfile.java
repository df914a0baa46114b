package dev.tunnelcast.bench.fanout;

/**
 * The shape of the synthetic stream: frame rate, video bitrate, keyframe interval and the
 * audio packet rate and size. Keyframes are {@code keyframeWeight} times a delta frame, and
 * frame sizes are chosen so the video averages {@code videoBitsPerSecond}.
 */
public record StreamProfile(int framesPerSecond, int videoBitsPerSecond, int keyframeIntervalFrames,
                     int keyframeWeight, int audioPacketsPerSecond, int audioPacketBytes) {

    public static StreamProfile hd720p30() {
        return new StreamProfile(30, 2_500_000, 30, 8, 50, 160);
    }

    int deltaFrameBytes() {
        long bytesPerGop = (long) videoBitsPerSecond / 8 * keyframeIntervalFrames / framesPerSecond;
        return (int) (bytesPerGop / (keyframeIntervalFrames - 1 + keyframeWeight));
    }

    int keyframeBytes() {
        return deltaFrameBytes() * keyframeWeight;
    }
}
