package dev.tunnelcast.bench.codecs;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the figures FFmpeg prints on stderr: {@code -benchmark} times and the psnr/ssim filters' summaries. */
final class FfmpegOutput {
    private static final Pattern BENCH = Pattern.compile("bench: utime=([0-9.]+)s stime=([0-9.]+)s rtime=([0-9.]+)s");
    private static final Pattern PSNR = Pattern.compile("PSNR y:[0-9.inf]+ u:[0-9.inf]+ v:[0-9.inf]+ average:([0-9.]+|inf)");
    private static final Pattern SSIM = Pattern.compile("SSIM Y:[0-9.]+ \\([0-9.inf]+\\) U:[0-9.]+ \\([0-9.inf]+\\) V:[0-9.]+ \\([0-9.inf]+\\) All:([0-9.]+)");

    private FfmpegOutput() {}

    /** CPU and wall time of one ffmpeg run, as {@code -benchmark} reports them (the transcode only, not process start). */
    record BenchTimes(double userSeconds, double systemSeconds, double realSeconds) {
        double cpuSeconds() {
            return userSeconds + systemSeconds;
        }
    }

    static BenchTimes benchTimes(String stderr) {
        Matcher m = BENCH.matcher(stderr);
        if (!m.find()) {
            throw new IllegalStateException("ffmpeg printed no '-benchmark' line");
        }
        return new BenchTimes(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)));
    }

    /** The psnr filter's average over all frames and planes, in dB (empty when absent; identical frames give inf). */
    static OptionalDouble psnrAverageDb(String stderr) {
        Matcher m = PSNR.matcher(stderr);
        if (!m.find()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(m.group(1).equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1)));
    }

    /** The ssim filter's "All" figure (all planes, all frames), 0..1. */
    static OptionalDouble ssimAll(String stderr) {
        Matcher m = SSIM.matcher(stderr);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
    }
}
