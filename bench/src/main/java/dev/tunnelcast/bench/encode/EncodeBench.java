package dev.tunnelcast.bench.encode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tunnelcast.agent.capture.RawVideoFrame;
import dev.tunnelcast.agent.encode.EncodedPacket;
import dev.tunnelcast.agent.encode.OpusAudioEncoder;
import dev.tunnelcast.agent.encode.OpusLoader;
import dev.tunnelcast.agent.encode.OpusSettings;
import dev.tunnelcast.agent.encode.VideoEncoder;
import dev.tunnelcast.agent.encode.VideoEncoderSettings;
import dev.tunnelcast.agent.encode.VideoEncoders;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Encode cost per stream: CPU time per second of media for x264 (ultrafast, veryfast) and
 * openh264 at 720p30 and 1080p30, and for Opus. Frames come from lavfi {@code testsrc2}
 * (decoded once, kept in memory) and are encoded as fast as possible; the CPU time of the
 * whole process is measured (x264's slice threads included), divided by the media
 * duration encoded: 20 % means one stream costs a fifth of one core.
 */
@Command(name = "encode-bench", mixinStandardHelpOptions = true,
        description = "Measures encode CPU per stream (video: x264/openh264; audio: Opus).")
public final class EncodeBench implements Callable<Integer> {

    @Option(names = "--seconds", description = "Media seconds encoded per run (default: ${DEFAULT-VALUE}).", defaultValue = "10")
    int seconds;

    @Option(names = "--repeats", description = "Runs per configuration; the median is reported (default: ${DEFAULT-VALUE}).", defaultValue = "5")
    int repeats;

    @Option(names = "--bitrate", description = "Video bitrate in b/s for 720p; 1080p gets 2.25x (default: ${DEFAULT-VALUE}).", defaultValue = "2500000")
    int bitrate720;

    @Option(names = "--out", description = "Results folder (default: bench/results/<date>).")
    Path out;

    record Run(double cpuPercentOfOneCore, double encodeFps, long bytes) {}

    record Result(String name, String encoder, String preset, String size, int fps, int bitrateBps, String status,
                  double medianCpuPercentOfOneCore, double medianEncodeFps, double achievedBitrateBps, List<Run> runs) {}

    public static void main(String[] args) {
        org.bytedeco.javacv.FFmpegLogCallback.setLevel(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
        System.exit(new CommandLine(new EncodeBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String command = "mvn -B -q -pl bench -am package -DskipTests && java -Dorg.bytedeco.javacpp.cachedir=.cache/javacpp -Djna.tmpdir=.cache/jna "
                + "-cp \"bench/target/classes:$(cat bench/target/classpath.txt)\" "
                + "dev.tunnelcast.bench.encode.EncodeBench --seconds " + seconds + " --repeats " + repeats;
        List<Result> results = new ArrayList<>();
        for (int[] size : new int[][] {{1280, 720}, {1920, 1080}}) {
            List<RawVideoFrame> frames = testFrames(size[0], size[1], 30, 60);
            int bitrate = size[1] == 720 ? bitrate720 : (int) (bitrate720 * 2.25);
            for (String[] enc : new String[][] {{"libx264", "ultrafast"}, {"libx264", "veryfast"}, {"libopenh264", ""}}) {
                results.add(video(enc[0], enc[1], size[0], size[1], bitrate, frames));
            }
        }
        for (int complexity : new int[] {10, 8, 5}) {
            results.add(opus(new OpusSettings(2, 20, 96_000, complexity, false, false)));
        }

        System.out.println();
        System.out.println("Encode CPU per stream (median of " + repeats + " runs of " + seconds + " s of media), % of one core:");
        for (Result r : results) {
            System.out.println(String.format(Locale.ROOT, "  %-34s %s", r.name(), r.status().equals("ok")
                    ? String.format(Locale.ROOT, "%6.1f %%   (%.0f fps encode speed, %.0f kb/s)", r.medianCpuPercentOfOneCore(),
                            r.medianEncodeFps(), r.achievedBitrateBps() / 1000) : r.status()));
        }
        System.out.println("Machine: " + machine());
        System.out.println("Reproduce: " + command);

        Path dir = out != null ? out : Path.of("bench", "results", LocalDate.now().toString());
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "encode");
        json.put("measuredAt", Instant.now().toString());
        json.put("machine", machine());
        json.put("opus", OpusLoader.load());
        json.put("command", command);
        json.put("metric", "process CPU time / media time, in % of one core (100 = one full core per stream)");
        json.put("goals", Map.of("x264 ultrafast 720p30", "<= 20 %", "opus", "<= 1 %"));
        json.put("openh264", VideoEncoders.available("libopenh264") ? "in this FFmpeg build" : "not in this FFmpeg build");
        json.put("results", results);
        Path file = dir.resolve("encode.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
        Path report = dir.resolve("encode.md");
        Files.writeString(report, markdown(results, command));
        System.out.println("Wrote " + file + " and " + report);
        return 0;
    }

    private String markdown(List<Result> results, String command) {
        StringBuilder md = new StringBuilder("## Encode CPU per stream (the agent's own encoder classes)\n\n");
        md.append("Process CPU time per second of media, in % of one core (median of ").append(repeats)
                .append(" runs of ").append(seconds).append(" s of media; x264 with its slice threads, zerolatency, ")
                .append("no B-frames; Opus on the calling thread). Goals: x264 ultrafast 720p30 <= 20 %, Opus <= 1 %.\n\n");
        md.append("| encoder | CPU % of one core | encode speed (fps) | bitrate (kb/s) |\n|---|---:|---:|---:|\n");
        for (Result r : results) {
            md.append(r.status().equals("ok")
                    ? String.format(Locale.ROOT, "| %s | %.1f | %.0f | %.0f |%n", r.name(), r.medianCpuPercentOfOneCore(),
                            r.medianEncodeFps(), r.achievedBitrateBps() / 1000)
                    : String.format(Locale.ROOT, "| %s | %s | | |%n", r.name(), r.status()));
        }
        md.append("\nMachine: ").append(machine()).append("  \nOpus: ").append(OpusLoader.load())
                .append("  \nReproduce: `").append(command).append("`\n");
        return md.toString();
    }

    private Result video(String encoder, String preset, int w, int h, int bitrate, List<RawVideoFrame> frames) {
        String name = encoder + (preset.isEmpty() ? "" : " " + preset) + " " + h + "p30";
        if (!VideoEncoders.available(encoder)) {
            return new Result(name, encoder, preset, w + "x" + h, 30, bitrate, "not in this FFmpeg build", 0, 0, 0, List.of());
        }
        VideoEncoderSettings settings = new VideoEncoderSettings(encoder, w, h, 30, bitrate, 0, preset, "high", "", 60, 0);
        int total = seconds * 30;
        List<Run> runs = new ArrayList<>();
        measureVideo(settings, frames, 30); // warm-up: JIT, encoder init, caches
        for (int r = 0; r < repeats; r++) {
            runs.add(measureVideo(settings, frames, total));
        }
        return summarize(name, encoder, preset, w + "x" + h, bitrate, runs, seconds);
    }

    private static Run measureVideo(VideoEncoderSettings settings, List<RawVideoFrame> frames, int count) {
        long bytes = 0;
        try (VideoEncoder encoder = VideoEncoders.open(settings)) {
            long cpu0 = processCpuNanos();
            long wall0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                for (EncodedPacket p : encoder.encode(frames.get(i % frames.size()), i * 33_333L, 0)) {
                    bytes += p.payload().length;
                }
            }
            long cpu = processCpuNanos() - cpu0;
            long wall = System.nanoTime() - wall0;
            double mediaNanos = count * 1e9 / 30;
            return new Run(100.0 * cpu / mediaNanos, count * 1e9 / wall, bytes);
        }
    }

    private Result opus(OpusSettings settings) {
        short[] pcm = tone(seconds, settings.channels());
        List<Run> runs = new ArrayList<>();
        measureOpus(settings, tone(1, settings.channels()));
        for (int r = 0; r < repeats; r++) {
            runs.add(measureOpus(settings, pcm));
        }
        return summarize("opus stereo 96k 20ms complexity " + settings.complexity(), "libopus", "", "", settings.bitrateBps(),
                runs, pcm.length / settings.channels() / 48_000.0);
    }

    private static Run measureOpus(OpusSettings settings, short[] pcm) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long bytes = 0;
        try (OpusAudioEncoder encoder = new OpusAudioEncoder(settings)) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            int chunk = 1024 * settings.channels(); // like a capture device delivering 1024-sample periods
            for (int off = 0; off < pcm.length; off += chunk) {
                short[] part = java.util.Arrays.copyOfRange(pcm, off, Math.min(pcm.length, off + chunk));
                long pts = off / settings.channels() * 1_000_000L / 48_000;
                for (EncodedPacket p : encoder.encode(part, pts, Long.MAX_VALUE, x -> x)) {
                    bytes += p.payload().length;
                }
            }
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            long wall = System.nanoTime() - wall0;
            double mediaNanos = pcm.length / (double) settings.channels() / 48_000 * 1e9;
            return new Run(100.0 * cpu / mediaNanos, mediaNanos / 20e6 / (wall / 1e9), bytes);
        }
    }

    private Result summarize(String name, String encoder, String preset, String size, int bitrate, List<Run> runs,
                             double mediaSeconds) {
        double cpu = median(runs.stream().mapToDouble(Run::cpuPercentOfOneCore).toArray());
        double fps = median(runs.stream().mapToDouble(Run::encodeFps).toArray());
        double bps = median(runs.stream().mapToDouble(r -> r.bytes() * 8 / mediaSeconds).toArray());
        System.out.println(String.format(Locale.ROOT, "%-34s cpu %6.2f %% of one core, %5.0f fps, %5.0f kb/s", name, cpu, fps,
                bps / 1000));
        return new Result(name, encoder, preset, size, size.isEmpty() ? 0 : 30, bitrate, "ok", cpu, fps, bps, runs);
    }

    /** Distinct frames of lavfi's testsrc2 (moving pattern), decoded once into memory. */
    static List<RawVideoFrame> testFrames(int w, int h, int fps, int count) throws Exception {
        List<RawVideoFrame> frames = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber("testsrc2=size=" + w + "x" + h + ":rate=" + fps)) {
            g.setFormat("lavfi");
            g.setPixelFormat(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P);
            g.start();
            while (frames.size() < count) {
                Frame f = g.grabImage();
                frames.add(RawVideoFrame.copyOf((AVFrame) f.opaque, 0));
            }
        }
        return frames;
    }

    /** A 440 Hz tone with a 1760 Hz beep in the first 100 ms of each second, like the synthetic microphone. */
    static short[] tone(int seconds, int channels) {
        short[] pcm = new short[seconds * 48_000 * channels];
        for (int i = 0; i < seconds * 48_000; i++) {
            double f = (i % 48_000) < 4_800 ? 1760 : 440;
            short s = (short) (Math.sin(2 * Math.PI * f * i / 48_000) * 12_000);
            for (int c = 0; c < channels; c++) {
                pcm[i * channels + c] = s;
            }
        }
        return pcm;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length == 0 ? 0 : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (Exception ignored) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), Java " + System.getProperty("java.version");
    }
}
