package dev.tunnelcast.bench.codecs;

import dev.tunnelcast.bench.report.Spread;
import java.util.List;

/** What the sweep measured, as written to {@code codecs.json}. */
final class SweepResults {
    private SweepResults() {}

    /**
     * One encode of one clip at one target bitrate (a single pass: the encoders are
     * deterministic enough at a fixed input that quality and size do not vary between runs).
     *
     * @param bitrateAccuracy   achieved / target bitrate over the whole clip
     * @param framesOut         packets the encoder produced (equals the clip's frames unless it dropped some)
     * @param encodeFps         the pass's unpaced encode speed (one sample; the timing figures are in {@link Timing})
     */
    record QualityPoint(String source, String encoder, String family, int targetBitrateBps, double achievedBitrateBps,
                        double bitrateAccuracy, double psnrDb, double ssim, int keyframes, double meanKeyframeBytes,
                        int maxKeyframeBytes, int framesIn, int framesOut, double encodeFps, int processThreads) {}

    /**
     * Repeated timing runs at the reference bitrate.
     *
     * @param encodeFps             unpaced encode speed with FFmpeg's default threads (frames / wall second)
     * @param encodeFpsOneThread    the same with {@code -threads 1} (null when not measured for this source)
     * @param cpuPercentOneThread   CPU per video second with {@code -threads 1}, from unpaced runs (null when not measured)
     * @param cpuPercentOfCoreAtPace CPU seconds per second of video, fed at real time (-re), in % of one core
     * @param processThreads        most threads the ffmpeg process had (its own pipeline threads included)
     * @param foreignCores          cores used by other processes meanwhile, per run: the machine's noise
     */
    record Timing(String source, String encoder, int bitrateBps, Spread encodeFps, double[] encodeFpsSamples,
                  Spread encodeFpsOneThread, double[] encodeFpsOneThreadSamples, Spread cpuPercentOneThread,
                  double[] cpuPercentOneThreadSamples, int processThreadsOneThread,
                  Spread cpuPercentOfCoreAtPace, double[] cpuPercentSamples, int processThreads, double[] foreignCores) {}

    /** Chromium's verdict on one encoder's stream (the natural clip at the reference bitrate). */
    record Browser(String encoder, String family, ChromiumDecodeCheck.Verdict verdict, boolean webCodecsDecodes) {}

    /** The ffmpeg pipeline without an encoder (read raw, pass frames through): its cost is inside every figure. */
    record Baseline(String source, Spread cpuPercentOfCoreAtPace, int processThreads) {}

    record All(List<QualityPoint> quality, List<Timing> timing, List<Browser> browser, List<Baseline> baseline) {}
}
