package dev.tunnelcast.agent.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunnelcast.agent.capture.RawVideoFrame;
import dev.tunnelcast.agent.testing.FFmpegDecoder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three simulcast layers encoded for real by x264 from one capture: each decodes in FFmpeg at
 * its own size from what the wire carries, and keyframes are at the same frames in all
 * layers, at the GOP and at a keyframe request.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // native calls ignore interrupts
class SimulcastEncoderTest {

    static final int W = 640;
    static final int H = 360;
    static final int FRAMES = 40;
    static final int GOP = 15;
    static final int REQUEST_AT = 22;

    @Test
    void threeLayersDecodeAtTheirSizesWithKeyframesAtTheSameFrames() {
        List<LayerSpec> layers = LayerSpec.parseList("640x360@900k,320x180@300k,160x90@100k",
                dev.tunnelcast.wire.Units::parseBitrate);
        VideoEncoderSettings top = new VideoEncoderSettings("libx264", W, H, 30, 900_000, 0, "ultrafast", "high", "", GOP, 1);
        List<List<Integer>> keyAt = new ArrayList<>();
        try (SimulcastEncoder encoder = new SimulcastEncoder(top, layers)) {
            List<FFmpegDecoder> decoders = new ArrayList<>();
            for (VideoEncoder layer : encoder.layers()) {
                decoders.add(FFmpegDecoder.h264(layer.format().decoderConfig()));
                keyAt.add(new ArrayList<>());
            }
            try {
                for (int i = 0; i < FRAMES; i++) {
                    if (i == REQUEST_AT) {
                        encoder.requestKeyframe();
                    }
                    RawVideoFrame frame = new RawVideoFrame(W, H, Frames.moving(W, H, i), 0);
                    List<List<EncodedPacket>> out = encoder.encode(frame, i * 33_333L, 1000L + i);
                    assertThat(out).hasSize(3);
                    for (int rank = 0; rank < 3; rank++) {
                        assertThat(out.get(rank)).as("layer %d frame %d comes out at once", rank, i).hasSize(1);
                        EncodedPacket p = out.get(rank).get(0);
                        assertThat(p.ptsMicros()).isEqualTo(i * 33_333L);
                        if (p.keyframe()) {
                            keyAt.get(rank).add(i);
                        }
                        List<FFmpegDecoder.Picture> pictures = decoders.get(rank).decodeVideo(p.payload(), p.ptsMicros());
                        assertThat(pictures).as("layer %d frame %d decodes", rank, i).hasSize(1);
                        assertThat(pictures.get(0).width()).isEqualTo(layers.get(rank).width());
                        assertThat(pictures.get(0).height()).isEqualTo(layers.get(rank).height());
                        assertThat(pictures.get(0).keyFrame()).as("the decoder agrees on the keyframe flag").isEqualTo(p.keyframe());
                    }
                }
            } finally {
                decoders.forEach(FFmpegDecoder::close);
            }
            assertThat(encoder.layers().get(1).format().width()).isEqualTo(320);
        }
        assertThat(keyAt.get(0)).as("keyframes at the GOP and at the request").contains(0, GOP, REQUEST_AT);
        assertThat(keyAt.get(1)).as("layer 1 keys with the top").isEqualTo(keyAt.get(0));
        assertThat(keyAt.get(2)).as("layer 2 keys with the top").isEqualTo(keyAt.get(0));
    }

    @Test
    void layersMustShrinkInSizeAndBitrate() {
        assertThatThrownBy(() -> LayerSpec.parseList("640x360@700k,1280x720@2500k", dev.tunnelcast.wire.Units::parseBitrate))
                .hasMessageContaining("smaller");
        assertThatThrownBy(() -> LayerSpec.parseList("1280x720@2500k", dev.tunnelcast.wire.Units::parseBitrate))
                .hasMessageContaining("at least two");
        assertThatThrownBy(() -> LayerSpec.parseList("1280x720,640x360@700k", dev.tunnelcast.wire.Units::parseBitrate))
                .hasMessageContaining("WxH@RATE");
        assertThat(LayerSpec.parseList("1280x720@2500k, 640x360@700k,320x180@200k", dev.tunnelcast.wire.Units::parseBitrate))
                .containsExactly(new LayerSpec(1280, 720, 2_500_000), new LayerSpec(640, 360, 700_000), new LayerSpec(320, 180, 200_000));
    }

    /** A moving gradient with a little noise. */
    static final class Frames {
        static byte[] moving(int w, int h, int frame) {
            byte[] f = new byte[RawVideoFrame.sizeOf(w, h)];
            java.util.Random random = new java.util.Random(frame);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    f[y * w + x] = (byte) (((x + 2 * y + frame * 4) & 0xFF) / 2 + 64 + random.nextInt(9) - 4);
                }
            }
            java.util.Arrays.fill(f, w * h, f.length, (byte) 128);
            return f;
        }
    }
}
