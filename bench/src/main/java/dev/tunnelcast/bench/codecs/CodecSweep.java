package dev.tunnelcast.bench.codecs;

import dev.tunnelcast.bench.report.Spread;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tunnelcast.bench.harness.MachineInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The codec sweep: x264 presets, openh264, VP8, VP9 and SVT-AV1 in realtime settings, on the
 * agent's synthetic camera and on a natural-motion clip, at several bitrates: encode speed,
 * CPU per stream at real-time pace, bitrate accuracy, PSNR/SSIM, keyframe sizes, and whether
 * headless Chromium decodes each stream through MSE and WebCodecs.
 */
@Command(name = "codecs", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Codec sweep: speed, CPU, rate accuracy, quality and browser support of realtime video encoders.",
                "Default run: about 9 minutes on a quiet 2-core machine; --quick: about 2 minutes."})
public final class CodecSweep implements Callable<Integer> {

    @Option(names = "--seconds", description = "Clip length in seconds (default: ${DEFAULT-VALUE}).", defaultValue = "10")
    int seconds;

    @Option(names = "--size", description = "Frame size (default: ${DEFAULT-VALUE}).", defaultValue = "1280x720")
    String size;

    @Option(names = "--fps", description = "Frame rate (default: ${DEFAULT-VALUE}).", defaultValue = "30")
    int fps;

    @Option(names = "--bitrates", split = ",", description = "Target bitrates in b/s (default: ${DEFAULT-VALUE}).",
            defaultValue = "1000000,2500000,5000000")
    List<Integer> bitrates;

    @Option(names = "--reference-bitrate", description = "Bitrate of the timing runs and the speed-quality plot (default: ${DEFAULT-VALUE}).",
            defaultValue = "2500000")
    int referenceBitrate;

    @Option(names = "--repeats", description = "Runs per timing figure; medians and min-max are reported (default: ${DEFAULT-VALUE}).",
            defaultValue = "3")
    int repeats;

    @Option(names = "--paced-seconds", description = "Video seconds per real-time-paced CPU run and per one-thread run (default: ${DEFAULT-VALUE}).",
            defaultValue = "3")
    int pacedSeconds;

    @Option(names = "--encoders", split = ",", description = "Only these encoder configs, by name (default: all: x264 ultrafast/superfast/veryfast, openh264, VP8 rt, VP9 rt, SVT-AV1 p10/p12).")
    List<String> encoders;

    @Option(names = "--sources", split = ",", description = "Clips: synthetic, natural (default: ${DEFAULT-VALUE}).",
            defaultValue = "synthetic,natural")
    List<String> sources;

    @Option(names = "--no-chromium", description = "Skip the Chromium MSE/WebCodecs check.")
    boolean noChromium;

    @Option(names = "--quick", description = "Smoke run: 3 s clips, 2.5 Mbit/s only, 2 s paced runs.")
    boolean quick;

    @Option(names = "--web-player", description = "The web-player module (for its Chromium driver) (default: ${DEFAULT-VALUE}).",
            defaultValue = "web-player")
    Path webPlayerDir;

    @Option(names = "--out", description = "Results folder (default: bench/results/<date>).")
    Path out;

    public static void main(String[] args) {
        org.bytedeco.javacv.FFmpegLogCallback.setLevel(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
        System.exit(new CommandLine(new CodecSweep()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (quick) {
            seconds = 3;
            bitrates = List.of(referenceBitrate);
            pacedSeconds = 2;
        }
        if (!bitrates.contains(referenceBitrate)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--bitrates must contain --reference-bitrate");
        }
        String[] wh = size.split("x");
        int width = Integer.parseInt(wh[0]);
        int height = Integer.parseInt(wh[1]);
        List<EncoderConfig> configs = EncoderConfig.defaults().stream()
                .filter(c -> encoders == null || encoders.contains(c.name())).toList();
        if (configs.isEmpty()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "no encoder config matches " + encoders);
        }
        String loadAtStart = Files.readString(Path.of("/proc/loadavg")).trim();
        Instant started = Instant.now();
        Path work = Files.createTempDirectory("tc-codecs-");
        try {
            FfmpegTool ffmpeg = FfmpegTool.bundled(work);
            EncoderRuns runs = new EncoderRuns(ffmpeg);
            List<TestClip> clips = new ArrayList<>();
            for (String s : sources) {
                log("rendering the " + s + " clip (" + seconds + " s, " + size + "@" + fps + ")");
                clips.add(switch (s) {
                    case "synthetic" -> TestClip.synthetic(work, width, height, fps, seconds * fps);
                    case "natural" -> TestClip.natural(ffmpeg, work, width, height, fps, seconds * fps);
                    default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown source " + s);
                });
            }
            SweepResults.All results = measure(runs, clips, configs, work);
            Path dir = out != null ? out : Path.of("bench", "results", LocalDate.now().toString());
            write(dir, results, loadAtStart, started);
            return 0;
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private SweepResults.All measure(EncoderRuns runs, List<TestClip> clips, List<EncoderConfig> configs, Path work)
            throws Exception {
        List<SweepResults.QualityPoint> quality = new ArrayList<>();
        List<SweepResults.Timing> timing = new ArrayList<>();
        List<SweepResults.Baseline> baseline = new ArrayList<>();
        Map<String, Path> browserSamples = new LinkedHashMap<>();
        int pacedFrames = Math.min(pacedSeconds * fps, seconds * fps);
        for (TestClip clip : clips) {
            double[] base = new double[repeats];
            int baseThreads = 0;
            for (int r = 0; r < repeats; r++) {
                EncoderRuns.Timed t = runs.encode(clip, null, pacedFrames, true, null);
                base[r] = t.cpuPercentOfCore();
                baseThreads = t.processThreads();
            }
            baseline.add(new SweepResults.Baseline(clip.name(), Spread.of(base), baseThreads));
            for (EncoderConfig config : configs) {
                for (int bitrate : bitrates) {
                    Path encoded = work.resolve(clip.name() + "-" + config.name().replace(' ', '_') + "-" + bitrate + ".mkv");
                    EncoderRuns.Timed first = runs.encode(clip, config.outputArgs(bitrate, 0), clip.frames(), false, encoded);
                    EncodedStream stream = EncodedStream.read(encoded, clip.seconds());
                    double[] ps = runs.psnrSsim(clip, encoded);
                    SweepResults.QualityPoint q = new SweepResults.QualityPoint(clip.name(), config.name(), config.family(),
                            bitrate, stream.bitrateBps(), stream.bitrateBps() / bitrate, ps[0], ps[1], stream.keyframes().size(),
                            stream.meanKeyframeBytes(), stream.maxKeyframeBytes(), clip.frames(), stream.packets().size(),
                            first.encodeFps(), first.processThreads());
                    quality.add(q);
                    log(String.format(Locale.ROOT, "%-9s %-18s %4.1f Mb/s: %5.1f fps, %4.0f kb/s (x%.2f), PSNR %.2f dB, SSIM %.4f, key %.0f kB",
                            clip.name(), config.name(), bitrate / 1e6, first.encodeFps(), stream.bitrateBps() / 1000,
                            q.bitrateAccuracy(), ps[0], ps[1], q.meanKeyframeBytes() / 1000));
                    if (bitrate == referenceBitrate) {
                        timing.add(time(runs, clip, config, first, encoded, pacedFrames, clip == clips.get(clips.size() - 1)));
                        if (clip.name().equals("natural") || !browserSamples.containsKey(config.name())) {
                            browserSamples.put(config.name(), encoded);
                        }
                    } else {
                        Files.delete(encoded);
                    }
                }
            }
        }
        List<SweepResults.Browser> browser = noChromium ? List.of() : browser(configs, browserSamples, work, clips.get(0));
        return new SweepResults.All(quality, timing, browser, baseline);
    }

    /** Repeated unpaced runs and runs paced at real time, with default threads and (on the last clip) with one. */
    private SweepResults.Timing time(EncoderRuns runs, TestClip clip, EncoderConfig config, EncoderRuns.Timed first,
                                     Path encoded, int pacedFrames, boolean oneThreadToo) throws Exception {
        List<String> args = config.outputArgs(referenceBitrate, 0);
        List<EncoderRuns.Timed> unpaced = new ArrayList<>(List.of(first));
        unpaced.addAll(repeat(runs, clip, args, clip.frames(), false, encoded, repeats - 1));
        List<EncoderRuns.Timed> paced = repeat(runs, clip, args, pacedFrames, true, encoded, repeats);
        List<EncoderRuns.Timed> all = new ArrayList<>(unpaced);
        all.addAll(paced);
        Spread fpsOne = null;
        Spread cpuOne = null;
        double[] fpsOneSamples = null;
        double[] cpuOneSamples = null;
        int threadsOne = 0;
        if (oneThreadToo) {
            List<String> oneArgs = config.outputArgs(referenceBitrate, 1);
            Path scratch = encoded.resolveSibling("one-thread.mkv");
            // One thread has nothing to wait or spin for, so CPU per video second is the same paced or not:
            // the unpaced runs (over the paced length, to keep the default run short) give both figures.
            List<EncoderRuns.Timed> unpacedOne = repeat(runs, clip, oneArgs, pacedFrames, false, scratch, repeats);
            fpsOneSamples = unpacedOne.stream().mapToDouble(EncoderRuns.Timed::encodeFps).toArray();
            cpuOneSamples = unpacedOne.stream().mapToDouble(EncoderRuns.Timed::cpuPercentOfCore).toArray();
            fpsOne = Spread.of(fpsOneSamples);
            cpuOne = Spread.of(cpuOneSamples);
            threadsOne = unpacedOne.stream().mapToInt(EncoderRuns.Timed::processThreads).max().orElse(0);
            all.addAll(unpacedOne);
        }
        double[] fps = unpaced.stream().mapToDouble(EncoderRuns.Timed::encodeFps).toArray();
        double[] cpu = paced.stream().mapToDouble(EncoderRuns.Timed::cpuPercentOfCore).toArray();
        SweepResults.Timing timing = new SweepResults.Timing(clip.name(), config.name(), referenceBitrate, Spread.of(fps), fps,
                fpsOne, fpsOneSamples, cpuOne, cpuOneSamples, threadsOne, Spread.of(cpu), cpu,
                unpaced.stream().mapToInt(EncoderRuns.Timed::processThreads).max().orElse(0),
                all.stream().mapToDouble(EncoderRuns.Timed::foreignCores).toArray());
        log(String.format(Locale.ROOT, "%-9s %-18s timing: %.0f fps (%.0f-%.0f), CPU at pace %.0f %% of a core (%.0f-%.0f), %d threads%s",
                clip.name(), config.name(), timing.encodeFps().median(), timing.encodeFps().min(), timing.encodeFps().max(),
                timing.cpuPercentOfCoreAtPace().median(), timing.cpuPercentOfCoreAtPace().min(),
                timing.cpuPercentOfCoreAtPace().max(), timing.processThreads(), fpsOne == null ? ""
                        : String.format(Locale.ROOT, "; 1 thread: %.0f fps, CPU at pace %.0f %%", fpsOne.median(), cpuOne.median())));
        return timing;
    }

    private static List<EncoderRuns.Timed> repeat(EncoderRuns runs, TestClip clip, List<String> args, int frames, boolean paced,
                                                  Path file, int times) throws Exception {
        List<EncoderRuns.Timed> timed = new ArrayList<>();
        for (int r = 0; r < times; r++) {
            timed.add(runs.encode(clip, args, frames, paced, file));
        }
        return timed;
    }

    private List<SweepResults.Browser> browser(List<EncoderConfig> configs, Map<String, Path> samples, Path work, TestClip clip)
            throws Exception {
        List<SweepResults.Browser> verdicts = new ArrayList<>();
        log("asking headless Chromium (MSE, WebCodecs) about each stream");
        try (ChromiumDecodeCheck chromium = ChromiumDecodeCheck.start(webPlayerDir.toAbsolutePath(), work.resolve("chromium.log"))) {
            for (EncoderConfig config : configs) {
                EncodedStream stream = EncodedStream.read(samples.get(config.name()), clip.seconds());
                byte[] description = config.family().equals("h264") ? stream.decoderConfig() : new byte[0];
                String codec = stream.codecString(config.family(), clip.width(), clip.height(), fps);
                ChromiumDecodeCheck.Verdict v = chromium.check(codec, description, stream.head(fps), clip.width(), clip.height());
                verdicts.add(new SweepResults.Browser(config.name(), config.family(), v, v.webCodecsDecodes()));
                log(String.format(Locale.ROOT, "%-18s %-16s MSE mp4 %s, webm %s; WebCodecs config %s, decoded %d/%d frames%s",
                        config.name(), v.codecString(), v.mseMp4(), v.mseWebm(), v.webCodecsConfigSupported(), v.framesDecoded(),
                        v.packetsFed(), v.error() == null ? "" : " (" + v.error() + ")"));
            }
        }
        return verdicts;
    }

    private void write(Path dir, SweepResults.All results, String loadAtStart, Instant started) throws IOException {
        Files.createDirectories(dir);
        String command = "bench/run codecs" + (quick ? " --quick" : "") + " --seconds " + seconds + " --repeats " + repeats
                + " --paced-seconds " + pacedSeconds + " --bitrates " + String.join(",", bitrates.stream().map(String::valueOf).toList())
                + (encoders == null ? "" : " --encoders '" + String.join(",", encoders) + "'")
                + " --sources " + String.join(",", sources) + (noChromium ? " --no-chromium" : "");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "codecs");
        json.put("measuredAt", started.toString());
        json.put("durationSeconds", (Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000.0);
        json.put("machine", MachineInfo.describe());
        json.put("loadAverageAtStart", loadAtStart);
        json.put("command", command);
        json.put("ffmpeg", "JavaCV's bundled FFmpeg (org.bytedeco ffmpeg 8.0.1-1.5.13 linux-x86_64-gpl), its ffmpeg executable");
        json.put("format", size + "@" + fps + ", keyframe every " + EncoderConfig.KEYFRAME_INTERVAL_FRAMES + " frames");
        json.put("encoderOptions", EncoderConfig.defaults().stream()
                .collect(LinkedHashMap::new, (m, c) -> m.put(c.name(), String.join(" ", c.outputArgs(referenceBitrate, 0))), Map::putAll));
        json.put("results", results);
        Path file = dir.resolve("codecs.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
        SweepReport report = new SweepReport(results, referenceBitrate, fps, size, seconds, repeats, pacedSeconds);
        Files.writeString(dir.resolve("codecs.md"), report.markdown(command, MachineInfo.describe(), loadAtStart));
        report.plots(dir);
        log("wrote " + file + ", codecs.md and codecs-*.png (" + Math.round((double) json.get("durationSeconds")) + " s)");
    }

    private static void log(String line) {
        System.out.println(line);
    }
}
