package dev.tunnelcast.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunnelcast.agent.encode.EncodedPacket;
import dev.tunnelcast.agent.encode.H264Encoder;
import dev.tunnelcast.agent.encode.VideoEncoderSettings;
import dev.tunnelcast.agent.testing.FFmpegDecoder;
import dev.tunnelcast.agent.testing.TestPictures;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameStampTest {

    @Test
    void blockSizeFollowsTheSpec() {
        assertThat(FrameStamp.blockSize(1280)).isEqualTo(26);
        assertThat(FrameStamp.blockSize(1920)).isEqualTo(40);
        assertThat(FrameStamp.blockSize(640)).isEqualTo(12); // 13 rounded down to even
        assertThat(FrameStamp.blockSize(320)).isEqualTo(8);
    }

    @Test
    void drawsMarkersAndBitsMostSignificantFirst() {
        int w = 1280;
        int h = 720;
        byte[] frame = noise(w, h, 1);
        long captureMicros = 0xA5000001L * 1000 + 999; // ms value 0xA5000001: sub-ms part ignored
        FrameStamp.draw(frame, w, h, captureMicros);
        int b = FrameStamp.blockSize(w);
        assertThat(frame[b / 2 * w + b / 2] & 0xFF).isEqualTo(235);         // block 0 white
        assertThat(frame[b / 2 * w + b + b / 2] & 0xFF).isEqualTo(16);      // block 1 black
        assertThat(frame[b / 2 * w + 2 * b + b / 2] & 0xFF).isEqualTo(235); // MSB of 0xA5 = 1
        assertThat(frame[b / 2 * w + 3 * b + b / 2] & 0xFF).isEqualTo(16);  // next bit 0
        assertThat(frame[b / 2 * w + 33 * b + b / 2] & 0xFF).isEqualTo(235); // LSB = 1
        assertThat(frame[b / 2 * w + 34 * b + b / 2] & 0xFF).isEqualTo(235); // end marker
        assertThat(FrameStamp.read(frame, w, w)).isEqualTo(0xA5000001L);
    }

    @Test
    void wrapsModulo2To32() {
        long micros = (1L << 32) * 1000 + 5_000;
        assertThat(FrameStamp.valueOf(micros)).isEqualTo(5);
    }

    @Test
    void aPictureWithoutAStampIsRefused() {
        byte[] gray = new byte[320 * 240 * 3 / 2];
        java.util.Arrays.fill(gray, (byte) 128);
        assertThatThrownBy(() -> FrameStamp.read(gray, 320, 320)).hasMessageContaining("no frame stamp");
    }

    /** The stamp survives x264 at a modest bitrate and FFmpeg's decoder, at 720p and 1080p. */
    @Test
    void survivesEncodingAndDecoding() {
        for (int[] size : new int[][] {{1280, 720}, {1920, 1080}}) {
            int w = size[0];
            int h = size[1];
            VideoEncoderSettings s = new VideoEncoderSettings("libx264", w, h, 30, 1_500_000, 0, "ultrafast", "high",
                    "", 30, 1);
            Random random = new Random(7);
            List<Long> stamped = new ArrayList<>();
            List<Long> read = new ArrayList<>();
            try (H264Encoder encoder = new H264Encoder(s);
                 FFmpegDecoder decoder = FFmpegDecoder.h264(encoder.format().decoderConfig())) {
                for (int i = 0; i < 12; i++) {
                    long capture = 1_700_000_000_000_000L + random.nextInt(Integer.MAX_VALUE) * 1000L;
                    byte[] frame = TestPictures.camera(w, h, i);
                    FrameStamp.draw(frame, w, h, capture);
                    stamped.add(FrameStamp.valueOf(capture));
                    for (EncodedPacket p : encoder.encode(new RawVideoFrame(w, h, frame, 0), i * 33_333L, capture)) {
                        assertThat(p.captureTimeMicros()).isEqualTo(capture);
                        for (FFmpegDecoder.Picture pic : decoder.decodeVideo(p.payload(), p.ptsMicros())) {
                            read.add(FrameStamp.read(pic.luma(), pic.width(), pic.width()));
                        }
                    }
                }
            }
            assertThat(read).as(w + "x" + h).isEqualTo(stamped);
        }
    }

    /** Full-range noise. */
    static byte[] noise(int w, int h, int seed) {
        byte[] f = new byte[w * h * 3 / 2];
        new Random(seed).nextBytes(f);
        return f;
    }
}
