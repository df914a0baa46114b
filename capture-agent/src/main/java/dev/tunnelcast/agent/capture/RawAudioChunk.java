package dev.tunnelcast.agent.capture;

/**
 * Captured audio: interleaved signed 16-bit samples, with the local clock time of its first
 * sample as far as its arrival tells (a device delivers a chunk once its last sample is in;
 * a paced source, lavfi's {@code arealtime} or a file, once its first sample is due).
 */
public record RawAudioChunk(short[] samples, int channels, int sampleRate, long startLocalMicros) {

    public int frames() {
        return samples.length / channels;
    }

    public long durationMicros() {
        return frames() * 1_000_000L / sampleRate;
    }

    /** The same samples, first captured at another time. */
    public RawAudioChunk startingAt(long startLocalMicros) {
        return new RawAudioChunk(samples, channels, sampleRate, startLocalMicros);
    }
}
