package dev.tunnelcast.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.agent.clock.LocalClock;
import dev.tunnelcast.agent.encode.OpusSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The synthetic microphone (the real lavfi graph) delivers chunks that divide every Opus frame,
 * so that each frame leaves as soon as its last sample is in. lavfi's default chunk, 1024
 * samples, beats against 20 ms frames (every 15th chunk completes two at once): ~21 ms of
 * departure jitter that every player's jitter buffer pays for. Judged on the chunks' sizes,
 * not on departure times, which a loaded machine's scheduler blurs by as much.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // native calls ignore interrupts
class SyntheticMicChunksTest {

    @Test
    void everyChunkDividesEveryOpusFrame() throws Exception {
        List<Integer> chunkFrames = Collections.synchronizedList(new ArrayList<>());
        CaptureSink sink = new CaptureSink() {
            @Override
            public void onVideo(RawVideoFrame frame) {
            }

            @Override
            public void onAudio(RawAudioChunk chunk) {
                chunkFrames.add(chunk.frames());
            }

            @Override
            public void onSourceFailed(String source, Exception error) {
                throw new AssertionError(source + " failed", error);
            }
        };
        List<GrabberSource> sources = Sources.open(null, SourceSpec.SYNTHETIC, null, new CaptureFormat(320, 240, 30, 2),
                LocalClock.system(), sink);
        try {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (chunkFrames.size() < 30 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            sources.forEach(GrabberSource::close);
        }
        List<Integer> chunks = List.copyOf(chunkFrames);
        assertThat(chunks).as("chunks from the synthetic microphone").hasSizeGreaterThanOrEqualTo(30);
        for (int frameMillis : List.of(10, 20, 40, 60)) {
            int opusFrame = new OpusSettings(2, frameMillis, 96_000, 5, false, false).samplesPerFrame();
            assertThat(chunks).as("chunk sizes, samples, against a %d ms Opus frame (%d samples)", frameMillis, opusFrame)
                    .allMatch(frames -> opusFrame % frames == 0);
        }
    }
}
