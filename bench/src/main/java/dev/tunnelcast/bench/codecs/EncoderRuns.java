package dev.tunnelcast.bench.codecs;

import dev.tunnelcast.bench.latency.ForeignCpu;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The ffmpeg runs behind each figure: unpaced encodes, encodes paced at real time, and the quality filters. */
final class EncoderRuns {

    /** One timed run: encode speed, CPU per second of video, threads, and the machine's other load meanwhile. */
    record Timed(double encodeFps, double cpuPercentOfCore, int processThreads, double foreignCores) {}

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private final FfmpegTool ffmpeg;

    EncoderRuns(FfmpegTool ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    /**
     * Encodes {@code frames} of the clip into {@code out} (Matroska); {@code paced} feeds the
     * input at real time as a camera would. {@code output} null = the pipeline without an encoder.
     */
    Timed encode(TestClip clip, List<String> output, int frames, boolean paced, Path out)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-loglevel", "info", "-benchmark"));
        if (paced) {
            args.add("-re");
        }
        args.addAll(clip.inputArgs());
        args.addAll(List.of("-frames:v", Integer.toString(frames)));
        if (output == null) {
            args.addAll(List.of("-c:v", "wrapped_avframe", "-f", "null", "-"));
        } else {
            args.addAll(output);
            args.addAll(List.of("-f", "matroska", "-y", out.toString()));
        }
        ForeignCpu foreign = ForeignCpu.start();
        FfmpegTool.Result r = ffmpeg.run(args, TIMEOUT).requireSuccess("encoding " + clip.name());
        double foreignCores = foreign.coresUsed();
        FfmpegOutput.BenchTimes t = FfmpegOutput.benchTimes(r.stderr());
        double videoSeconds = frames / (double) clip.fps();
        return new Timed(frames / t.realSeconds(), 100 * t.cpuSeconds() / videoSeconds, r.maxThreads(), foreignCores);
    }

    /** PSNR (dB, average of all frames and planes) and SSIM ("All") of {@code encoded} against the clip. */
    double[] psnrSsim(TestClip clip, Path encoded) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-loglevel", "info", "-i", encoded.toString()));
        args.addAll(clip.inputArgs());
        // Frame i of the encode against frame i of the source: Matroska rounds timestamps to
        // milliseconds (33 ms < 1/30 s), which would pair each frame with the previous source frame.
        String pts = "settb=1/" + clip.fps() + ",setpts=N";
        args.addAll(List.of("-lavfi", "[0:v]" + pts + ",split[d1][d2];[1:v]" + pts + ",split[s1][s2];"
                        + "[d1][s1]psnr=shortest=1;[d2][s2]ssim=shortest=1",
                "-f", "null", "-"));
        String stderr = ffmpeg.run(args, TIMEOUT).requireSuccess("psnr/ssim of " + encoded.getFileName()).stderr();
        double psnr = FfmpegOutput.psnrAverageDb(stderr).orElseThrow(() -> new IllegalStateException("no PSNR in ffmpeg output"));
        double ssim = FfmpegOutput.ssimAll(stderr).orElseThrow(() -> new IllegalStateException("no SSIM in ffmpeg output"));
        return new double[] {psnr, ssim};
    }
}
