package dev.tunnelcast.agent.capture;

/**
 * Captured audio: interleaved signed 16-bit samples, with the local clock time at which
 * the chunk arrived (that is, roughly the capture time of its last sample).
 */
public record RawAudioChunk(short[] samples, int channels, int sampleRate, long arrivalLocalMicros) {

    public int frames() {
        return samples.length / channels;
    }

    public long durationMicros() {
        return frames() * 1_000_000L / sampleRate;
    }
}
