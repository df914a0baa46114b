package dev.tunnelcast.agent.encode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.agent.capture.FrameStamp;
import dev.tunnelcast.agent.capture.RawVideoFrame;
import dev.tunnelcast.agent.testing.FFmpegDecoder;
import dev.tunnelcast.agent.testing.TestPictures;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Three layers from one picture with real x264 encodes, decoded back with FFmpeg: each layer at
 * its size, the keyframes on the same frames on every layer (the GOP's and a requested one),
 * and the frame stamp, redrawn at each layer's size, readable on every decoded picture.
 */
class SimulcastEncoderTest {

    private static final List<LayerSpec> LAYERS = LayerSpec.parseList("1280x720@2500k,640x360@700k,320x180@200k");
    private static final int GOP = 10;
    private static final int FRAMES = 25;
    private static final int REQUESTED = 4;

    @Test
    void everyLayerDecodesAtItsSizeWithKeyframesOnTheSameFrames() {
        VideoEncoderSettings base = new VideoEncoderSettings("libx264", 1280, 720, 30, 2_500_000, 0, "ultrafast", "high",
                "", GOP, 1);
        List<List<Integer>> keyframes = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<List<Long>> stampsRead = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<Long> stamped = new ArrayList<>();
        try (SimulcastEncoder encoder = new SimulcastEncoder(base, LAYERS)) {
            List<VideoTrackFormat> formats = encoder.formats();
            assertThat(formats).extracting(VideoTrackFormat::height).containsExactly(720, 360, 180);
            List<FFmpegDecoder> decoders = formats.stream().map(f -> FFmpegDecoder.h264(f.decoderConfig())).toList();
            try {
                Random random = new Random(3);
                for (int i = 0; i < FRAMES; i++) {
                    long capture = 1_700_000_000_000_000L + random.nextInt(Integer.MAX_VALUE) * 1000L;
                    byte[] picture = TestPictures.camera(1280, 720, i);
                    FrameStamp.draw(picture, 1280, 720, capture);
                    stamped.add(FrameStamp.valueOf(capture));
                    if (i == REQUESTED) {
                        encoder.requestKeyframe();
                    }
                    for (SimulcastEncoder.LayerPackets out : encoder.encode(new RawVideoFrame(1280, 720, picture, 0),
                            i * 33_333L, capture, f -> FrameStamp.draw(f.i420(), f.width(), f.height(), capture))) {
                        int layer = out.layer();
                        for (EncodedPacket p : out.packets()) {
                            if (p.keyframe()) {
                                keyframes.get(layer).add(i);
                            }
                            for (FFmpegDecoder.Picture pic : decoders.get(layer).decodeVideo(p.payload(), p.ptsMicros())) {
                                assertThat(pic.width()).isEqualTo(LAYERS.get(layer).width());
                                assertThat(pic.height()).isEqualTo(LAYERS.get(layer).height());
                                stampsRead.get(layer).add(FrameStamp.read(pic.luma(), pic.width(), pic.width()));
                            }
                        }
                    }
                }
            } finally {
                decoders.forEach(FFmpegDecoder::close);
            }
        }
        assertThat(keyframes.get(0)).contains(0, REQUESTED).hasSizeGreaterThanOrEqualTo(3);
        assertThat(keyframes.get(1)).as("layer 1's keyframes").isEqualTo(keyframes.get(0));
        assertThat(keyframes.get(2)).as("layer 2's keyframes").isEqualTo(keyframes.get(0));
        for (int layer = 0; layer < 3; layer++) {
            assertThat(stampsRead.get(layer)).as("stamps read on layer %d", layer).isEqualTo(stamped);
        }
    }
}
