package dev.tunnelcast.agent.capture;

/** What the pipeline wants from sources: picture size and rate, audio channels (always 48 kHz). */
public record CaptureFormat(int width, int height, int frameRate, int audioChannels) {
    public static final int SAMPLE_RATE = 48_000;
}
