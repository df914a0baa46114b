package dev.tunnelcast.agent.capture;

/** Where a source delivers what it captured. Called on the source's own thread; must not block. */
public interface CaptureSink {

    void onVideo(RawVideoFrame frame);

    void onAudio(RawAudioChunk chunk);

    /** The source failed after it had started (a camera unplugged, a stream ended for good). */
    void onSourceFailed(String source, Exception error);
}
