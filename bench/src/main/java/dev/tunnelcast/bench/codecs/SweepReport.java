package dev.tunnelcast.bench.codecs;

import dev.tunnelcast.bench.report.Spread;
import dev.tunnelcast.bench.report.Plot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The sweep's section of the report ({@code codecs.md}) and its plots ({@code codecs-*.png}). */
final class SweepReport {
    /** The most CPU at real-time pace an operator can spend on one stream on a small machine: half a core. */
    static final double SMALL_CPU_BUDGET_PERCENT = 50;

    private final SweepResults.All r;
    private final int referenceBitrate;
    private final int fps;
    private final String size;
    private final int seconds;
    private final int repeats;
    private final int pacedSeconds;

    SweepReport(SweepResults.All results, int referenceBitrate, int fps, String size, int seconds, int repeats, int pacedSeconds) {
        this.r = results;
        this.referenceBitrate = referenceBitrate;
        this.fps = fps;
        this.size = size;
        this.seconds = seconds;
        this.repeats = repeats;
        this.pacedSeconds = pacedSeconds;
    }

    String markdown(String command, String machine, String loadAtStart) {
        StringBuilder md = new StringBuilder("## Codec sweep: speed, CPU, rate accuracy and quality of realtime encoders\n\n");
        md.append(String.format(Locale.ROOT, """
                Each encoder runs in JavaCV's bundled FFmpeg 8.0.1 (the libraries the agent links) through its `ffmpeg` \
                executable, with the agent's realtime settings: x264 `zerolatency`, no B-frames; libvpx `deadline=realtime \
                lag-in-frames=0`, cpu-used 12 (VP8) / 8 (VP9, row-mt, aq-mode 3); SVT-AV1 preset 10, low delay, no lookahead. \
                %s@%d, a keyframe every %d frames, target = \
                max rate with half a second of VBV (libvpx: min = max rate). Sources, rendered once to raw I420 so every \
                encoder sees the same frames: **synthetic** (the agent's camera: testsrc2 + its frame stamp and clock) and \
                **natural** (lavfi Perlin texture upscaled, panned, tinted, with temporal sensor grain: camera-like \
                motion and noise, which the synthetic pattern lacks), %d s each.

                - *encode fps*: unpaced, FFmpeg's default threads, frames / wall time of the transcode (median of %d runs, min-max);
                  *1 thread*: `-threads 1` on the natural clip's first %d s, unpaced: fps, and CPU per video second (one \
                thread has nothing to wait or spin for, so paced or not costs the same).
                - *CPU at pace*: the clip fed at real time (`-re`, %d s), CPU seconds of the ffmpeg process per second of \
                video, %% of one core (median of %d runs). The pipeline without an encoder costs the baseline below.
                - *rate*: achieved / target bitrate over the clip. PSNR (dB, all planes) and SSIM (All) from FFmpeg's \
                `psnr`/`ssim` filters on the decoded stream against the source frames: one pass (encoders are \
                deterministic for a given input), as are the keyframe sizes.
                - *Chromium*: Debian's headless chromium, `MediaSource.isTypeSupported` with the codec string the agent \
                would announce (fMP4 as the player uses, and WebM), `VideoDecoder.isConfigSupported`, and a real \
                WebCodecs decode of the first second of packets (frames out / packets in).

                """, size, fps, EncoderConfig.KEYFRAME_INTERVAL_FRAMES, seconds, repeats, pacedSeconds, pacedSeconds, repeats));
        md.append("Machine: ").append(machine).append(". Load average at start: ").append(loadAtStart).append(".  \n");
        double foreign = r.timing().stream().flatMapToDouble(t -> java.util.Arrays.stream(t.foreignCores())).max().orElse(0);
        md.append(String.format(Locale.ROOT, "Other processes used up to %.2f cores during a timing run%s.  \n", foreign,
                foreign > 0.25 ? " (**noisy**: the timing figures are not quotable)" : " (quiet)"));
        md.append("Command: `").append(command).append("`\n\n");
        md.append(whatThisShows());
        for (String source : sources()) {
            md.append("\n### ").append(source).append(" clip at ").append(mbps(referenceBitrate)).append(" Mbit/s\n\n");
            md.append("| encoder | encode fps | CPU at pace, % of a core | process threads | 1 thread: fps | 1 thread: CPU, % of a core | rate | PSNR dB | SSIM | keyframe kB mean / max |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (SweepResults.Timing t : r.timing()) {
                if (!t.source().equals(source)) {
                    continue;
                }
                SweepResults.QualityPoint q = point(source, t.encoder(), referenceBitrate).orElseThrow();
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %s | %.2f | %.2f | %.4f | %.0f / %.0f |%n", t.encoder(),
                        t.encodeFps().format(0), t.cpuPercentOfCoreAtPace().format(0), t.processThreads(),
                        t.encodeFpsOneThread() == null ? "" : t.encodeFpsOneThread().format(0),
                        t.cpuPercentOneThread() == null ? "" : t.cpuPercentOneThread().format(0),
                        q.bitrateAccuracy(), q.psnrDb(), q.ssim(), q.meanKeyframeBytes() / 1000, q.maxKeyframeBytes() / 1000.0));
            }
            r.baseline().stream().filter(b -> b.source().equals(source)).forEach(b -> md.append(String.format(Locale.ROOT,
                    "%nBaseline (ffmpeg reading the clip at pace, no encoder): %s %% of a core, %d threads.%n",
                    b.cpuPercentOfCoreAtPace().format(1), b.processThreads())));
            md.append("\n![rate-quality ").append(source).append("](codecs-rate-psnr-").append(source).append(".png)\n");
            md.append("![rate-SSIM ").append(source).append("](codecs-rate-ssim-").append(source).append(".png)\n");
            md.append("![speed-quality ").append(source).append("](codecs-speed-quality-").append(source).append(".png)\n");
        }
        md.append("\n### Every bitrate (one pass each)\n\n| source | encoder | target Mbit/s | achieved Mbit/s | rate | PSNR dB | SSIM | keyframes | keyframe kB mean / max | frames out/in | encode fps (1 run) |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (SweepResults.QualityPoint q : r.quality()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.2f | %.2f | %.2f | %.4f | %d | %.0f / %.0f | %d/%d | %.0f |%n",
                    q.source(), q.encoder(), q.targetBitrateBps() / 1e6, q.achievedBitrateBps() / 1e6, q.bitrateAccuracy(),
                    q.psnrDb(), q.ssim(), q.keyframes(), q.meanKeyframeBytes() / 1000, q.maxKeyframeBytes() / 1000.0,
                    q.framesOut(), q.framesIn(), q.encodeFps()));
        }
        if (!r.browser().isEmpty()) {
            md.append("\n### Headless Chromium\n\n| encoder | codec string | MSE fMP4 | MSE WebM | WebCodecs config | WebCodecs decode (frames/packets) |\n|---|---|---|---|---|---|\n");
            for (SweepResults.Browser b : r.browser()) {
                ChromiumDecodeCheck.Verdict v = b.verdict();
                md.append(String.format(Locale.ROOT, "| %s | `%s` | %s | %s | %s | %s %d/%d%s |%n", b.encoder(), v.codecString(),
                        yes(v.mseMp4()), yes(v.mseWebm()), yes(v.webCodecsConfigSupported()), yes(b.webCodecsDecodes()),
                        v.framesDecoded(), v.packetsFed(), v.error() == null ? "" : " (" + v.error() + ")"));
            }
        }
        return md.toString();
    }

    /**
     * The headline, from the figures: on the harder (last) clip at the reference bitrate, the best
     * quality within half a core at real-time pace that Chromium decodes both ways, against the cheapest.
     */
    String whatThisShows() {
        List<String> srcs = sources();
        if (srcs.isEmpty()) {
            return "";
        }
        String source = srcs.get(srcs.size() - 1);
        List<SweepResults.Timing> ts = r.timing().stream().filter(t -> t.source().equals(source)).toList();
        Optional<SweepResults.Timing> cheapest = ts.stream().min(Comparator.comparingDouble(t -> cost(t, fps).cpuPercent()));
        Optional<SweepResults.Timing> pick = ts.stream()
                .filter(t -> cost(t, fps).cpuPercent() <= SMALL_CPU_BUDGET_PERCENT && cost(t, fps).medianFps() >= fps
                        && playable(t.encoder()))
                .max(Comparator.comparingDouble(t -> point(source, t.encoder(), referenceBitrate).orElseThrow().psnrDb()));
        Optional<SweepResults.Timing> best = ts.stream()
                .max(Comparator.comparingDouble(t -> point(source, t.encoder(), referenceBitrate).orElseThrow().psnrDb()));
        StringBuilder s = new StringBuilder("**Headline:** codecs, ").append(source).append(" clip at ")
                .append(mbps(referenceBitrate)).append(" Mbit/s: ");
        pick.ifPresentOrElse(p -> s.append(String.format(Locale.ROOT,
                        "for %s@%d on a small CPU, pick **%s**: %s; the best quality among encoders that cost at most %.0f %% of one core "
                                + "at real-time pace, encode faster than real time (median), and decode in Chromium through both "
                                + "MSE (fMP4) and WebCodecs. ",
                        size, fps, p.encoder(), describe(p, source), SMALL_CPU_BUDGET_PERCENT)),
                () -> s.append(String.format(Locale.ROOT, "no encoder stayed within %.0f %% of one core and decoded both ways in Chromium. ",
                        SMALL_CPU_BUDGET_PERCENT)));
        cheapest.ifPresent(c -> s.append("Cheapest: ").append(c.encoder()).append(" (").append(describe(c, source)).append("). "));
        best.ifPresent(b -> s.append("Best quality: ").append(b.encoder()).append(" (").append(describe(b, source)).append(")."));
        List<String> noMse = r.browser().stream().filter(b -> !b.verdict().mseMp4())
                .map(b -> b.encoder() + " (`" + b.verdict().codecString() + "`)").toList();
        if (!noMse.isEmpty()) {
            s.append(" Chromium's MSE refuses in fMP4 (the player's container): ").append(String.join(", ", noMse))
                    .append(": the player can show those only through WebCodecs.");
        }
        List<String> noDecode = r.browser().stream().filter(b -> !b.webCodecsDecodes()).map(SweepResults.Browser::encoder).toList();
        if (!noDecode.isEmpty()) {
            s.append(" WebCodecs did not decode every packet of: ").append(String.join(", ", noDecode)).append(".");
        }
        return s.append("\n").toString();
    }

    private String describe(SweepResults.Timing t, String source) {
        SweepResults.QualityPoint q = point(source, t.encoder(), referenceBitrate).orElseThrow();
        Cost c = cost(t, fps);
        return String.format(Locale.ROOT, "%.2f dB PSNR, SSIM %.4f, %.0f %% of a core at pace, %.0f fps unpaced%s, rate x%.2f",
                q.psnrDb(), q.ssim(), c.cpuPercent(), c.medianFps(), c.oneThread() ? " with -threads 1" : "", q.bitrateAccuracy());
    }

    /**
     * What one stream costs: median CPU at pace and unpaced fps, with one thread where that costs
     * less CPU and still encodes faster than real time (median), else with FFmpeg's default threads.
     */
    record Cost(double cpuPercent, double medianFps, boolean oneThread) {}

    static Cost cost(SweepResults.Timing t, int fps) {
        Spread cpuOne = t.cpuPercentOneThread();
        if (cpuOne != null && cpuOne.median() < t.cpuPercentOfCoreAtPace().median() && t.encodeFpsOneThread().median() >= fps) {
            return new Cost(cpuOne.median(), t.encodeFpsOneThread().median(), true);
        }
        return new Cost(t.cpuPercentOfCoreAtPace().median(), t.encodeFps().median(), false);
    }

    private boolean playable(String encoder) {
        if (r.browser().isEmpty()) {
            return true; // not checked: do not exclude
        }
        return r.browser().stream().anyMatch(b -> b.encoder().equals(encoder) && b.verdict().mseMp4() && b.webCodecsDecodes());
    }

    void plots(Path dir) throws IOException {
        for (String source : sources()) {
            Plot psnr = Plot.lines("Rate-quality, " + source + " clip (" + size + "@" + fps + ")",
                    "achieved bitrate (Mbit/s)", "PSNR (dB)");
            Plot ssim = Plot.lines("Rate-SSIM, " + source + " clip (" + size + "@" + fps + ")", "achieved bitrate (Mbit/s)", "SSIM (All)");
            Plot speed = Plot.scatter("Speed-quality at " + mbps(referenceBitrate) + " Mbit/s, " + source + " clip",
                    "CPU at real-time pace (% of one core, median; cheaper thread setting)", "PSNR (dB)");
            for (String encoder : encoders()) {
                List<SweepResults.QualityPoint> ps = r.quality().stream()
                        .filter(q -> q.source().equals(source) && q.encoder().equals(encoder))
                        .sorted(Comparator.comparingDouble(SweepResults.QualityPoint::achievedBitrateBps)).toList();
                if (ps.isEmpty()) {
                    continue;
                }
                double[] x = ps.stream().mapToDouble(q -> q.achievedBitrateBps() / 1e6).toArray();
                psnr.series(encoder, x, ps.stream().mapToDouble(SweepResults.QualityPoint::psnrDb).toArray());
                ssim.series(encoder, x, ps.stream().mapToDouble(SweepResults.QualityPoint::ssim).toArray());
                r.timing().stream().filter(t -> t.source().equals(source) && t.encoder().equals(encoder)).findFirst().ifPresent(t -> {
                    double q = point(source, encoder, referenceBitrate).orElseThrow().psnrDb();
                    Cost c = cost(t, fps);
                    speed.series(encoder, new double[] {c.cpuPercent()}, new double[] {q});
                    speed.label(String.format(Locale.ROOT, "%.0f fps%s", c.medianFps(), c.oneThread() ? " (1 thread)" : ""),
                            c.cpuPercent(), q);
                });
            }
            psnr.save(dir.resolve("codecs-rate-psnr-" + source + ".png"));
            ssim.save(dir.resolve("codecs-rate-ssim-" + source + ".png"));
            speed.save(dir.resolve("codecs-speed-quality-" + source + ".png"));
        }
    }

    private List<String> sources() {
        return r.quality().stream().map(SweepResults.QualityPoint::source).distinct().toList();
    }

    private List<String> encoders() {
        return r.quality().stream().map(SweepResults.QualityPoint::encoder).distinct().toList();
    }

    private Optional<SweepResults.QualityPoint> point(String source, String encoder, int bitrate) {
        return r.quality().stream().filter(q -> q.source().equals(source) && q.encoder().equals(encoder)
                && q.targetBitrateBps() == bitrate).findFirst();
    }

    private static String mbps(int bps) {
        return String.format(Locale.ROOT, "%.1f", bps / 1e6);
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }
}
