package dev.tunnelcast.bench.codecs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real ffmpeg on a tiny clip: a lossless encode must compare as identical frame for frame
 * (a one-frame offset between encode and source, as Matroska's millisecond timestamps cause
 * without re-timing, would show as a finite PSNR), and a starved encode must score lower.
 */
class QualityMeasurementTest {
    @TempDir
    Path dir;

    @Test
    void losslessEncodeIsIdenticalFrameForFrameAndALowBitrateIsWorse() throws Exception {
        FfmpegTool ffmpeg = FfmpegTool.bundled(dir);
        TestClip clip = TestClip.natural(ffmpeg, dir, 320, 180, 30, 15);
        EncoderRuns runs = new EncoderRuns(ffmpeg);

        Path lossless = dir.resolve("lossless.mkv");
        EncoderRuns.Timed t = runs.encode(clip, List.of("-c:v", "libx264", "-qp", "0", "-preset", "ultrafast"), clip.frames(),
                false, lossless);
        assertThat(t.encodeFps()).isPositive();
        assertThat(t.processThreads()).isPositive();
        double[] identical = runs.psnrSsim(clip, lossless);
        assertThat(identical[0]).isGreaterThan(80); // inf when bit-exact
        assertThat(identical[1]).isGreaterThan(0.999);

        Path starved = dir.resolve("starved.mkv");
        runs.encode(clip, EncoderConfig.defaults().get(0).outputArgs(50_000, 0), clip.frames(), false, starved);
        double[] worse = runs.psnrSsim(clip, starved);
        assertThat(worse[0]).isBetween(15.0, 45.0);
        assertThat(worse[1]).isLessThan(identical[1]);

        EncodedStream stream = EncodedStream.read(lossless, clip.seconds());
        assertThat(stream.packets()).hasSize(15);
        assertThat(stream.packets().get(0).key()).isTrue();
        assertThat(stream.codecString("h264", 320, 180, 30)).startsWith("avc1.");
    }
}
