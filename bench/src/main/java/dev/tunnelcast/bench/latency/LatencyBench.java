package dev.tunnelcast.bench.latency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tunnelcast.agent.Agent;
import dev.tunnelcast.agent.CapturePipeline;
import dev.tunnelcast.agent.StageTime;
import dev.tunnelcast.bench.call.CallLatency;
import dev.tunnelcast.bench.call.RelayArrivals;
import dev.tunnelcast.bench.harness.MachineInfo;
import dev.tunnelcast.server.auth.Action;
import dev.tunnelcast.server.clock.RelayClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Capture→display latency of the whole pipeline on loopback: relay and capture agent in
 * this JVM (synthetic source, frame stamp on), the web player in headless Chromium, or in
 * each engine of {@code --browser} (Firefox ESR, WebKitGTK's MiniBrowser). For each engine
 * and video path (MSE, WebCodecs): play, let the start-up backlog pass, clear the
 * player's windows, then measure for {@code --seconds}; report pixel latency (the stamp
 * read from the frames actually shown), metadata latency (capture time vs display time on
 * the relay clock) and the A/V offset, as p50/p95/p99. Each path is measured
 * {@code --repeats} times, each time in a freshly opened page, so the report can give
 * medians and their spread rather than one sample. With {@code --check} it then judges the
 * medians against {@link LatencyGoal} and exits 1, one line per goal missed, if any is. A path
 * an engine does not play (no frame within 60 s) is recorded as not measured, with why.
 */
@Command(name = "latency-bench", mixinStandardHelpOptions = true,
        description = "Measures capture-to-display latency in the browser engines (MSE and WebCodecs).")
public final class LatencyBench implements Callable<Integer> {

    @Option(names = "--seconds", description = "Measured seconds per path (default: ${DEFAULT-VALUE}).", defaultValue = "20")
    int seconds;

    @Option(names = "--repeats", description = "Runs per path, each in a new page (default: ${DEFAULT-VALUE}).", defaultValue = "3")
    int repeats;

    @Option(names = "--size", description = "Video size WxH (default: ${DEFAULT-VALUE}).", defaultValue = "1280x720")
    String size;

    @Option(names = "--bitrate", description = "Video bitrate, b/s (default: ${DEFAULT-VALUE}).", defaultValue = "2500000")
    int bitrate;

    @Option(names = "--paths", split = ",", description = "Video paths to measure, in order (default: ${DEFAULT-VALUE}).",
            defaultValue = "mse,webcodecs")
    List<String> videoPaths;

    @Option(names = "--browser", split = ",", description = "Engines, in order: chromium, firefox, webkit"
            + " (default: ${DEFAULT-VALUE}).", defaultValue = "chromium")
    List<String> browsers;

    @Option(names = "--out", description = "Results folder (default: bench/results/<date>).")
    Path out;

    @Option(names = "--check", description = "Exit 1, with a line per goal missed, unless every goal in bench/README.md is met.")
    boolean check;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LatencyBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String[] wh = size.toLowerCase(Locale.ROOT).split("x");
        int width = Integer.parseInt(wh[0]);
        int height = Integer.parseInt(wh[1]);
        for (String path : videoPaths) {
            if (!List.of("mse", "webcodecs").contains(path)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--paths: mse or webcodecs, not " + path);
            }
        }
        for (String browser : browsers) {
            if (!List.of("chromium", "firefox", "webkit").contains(browser)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--browser: chromium, firefox or webkit, not " + browser);
            }
        }
        String command = "bench/run latency --seconds " + seconds + " --repeats " + repeats + " --size " + size + " --bitrate " + bitrate
                + " --paths " + String.join(",", videoPaths)
                + (browsers.equals(List.of("chromium")) ? "" : " --browser " + String.join(",", browsers)) + (check ? " --check" : "");
        Path results = out != null ? out : Path.of("bench", "results", LocalDate.now().toString());
        Files.createDirectories(results);
        Path webPlayer = Path.of("web-player").toAbsolutePath();

        List<Map<String, Object>> paths = new ArrayList<>();
        try (LiveStack stack = LiveStack.start(new LiveStack.Options(width, height, 30, bitrate, Duration.ofSeconds(15)))) {
            RelayArrivals arrivals = new RelayArrivals();
            stack.relay().addObserver(arrivals);
            Agent agent = stack.publish("bench");
            for (String engine : browsers) {
                try (ChromiumPlayer browser = ChromiumPlayer.launch(engine, webPlayer,
                        Path.of("bench", "target", "latency-" + engine + ".log"))) {
                    for (String path : videoPaths) {
                        paths.add(measurePath(stack, browser, new Sources(agent, arrivals), engine, path));
                    }
                }
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "latency");
        report.put("command", command);
        report.put("date", Instant.now().toString());
        report.put("machine", Map.of("cpus", Runtime.getRuntime().availableProcessors(),
                "description", MachineInfo.describe(),
                "loadAverage", Files.readString(Path.of("/proc/loadavg")).trim(),
                "note", "otherProcessesCores per path: CPU that processes outside the benchmark took while it measured"));
        report.put("source", Map.of("size", size, "fps", 30, "videoBitrateBps", bitrate, "audio", "Opus 20 ms stereo"));
        report.put("measuredSecondsPerRun", seconds);
        report.put("repeats", repeats);
        report.put("browsers", browsers);
        report.put("paths", paths);
        Path file = results.resolve("latency.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
        Path section = LatencyReport.write(results);
        System.out.println("wrote " + file + " and " + section + "\ncommand: " + command);
        return check ? check(file) : 0;
    }

    /** The runs of one path in one engine; a path that shows no frame is recorded as not measured, with why. */
    private Map<String, Object> measurePath(LiveStack stack, ChromiumPlayer browser, Sources sources, String engine, String path) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("browser", engine);
        entry.put("path", path);
        List<Map<String, Object>> runs = new ArrayList<>();
        try {
            for (int r = 0; r < repeats; r++) {
                runs.add(measure(stack, browser, sources, engine, path, r));
            }
        } catch (RuntimeException | AssertionError e) {
            // The driver's message goes on with the whole of the player's stats: the first clause says it.
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString()).split("; last ")[0];
            System.out.printf("%s %s: not measured: %s%n", engine, path, why);
            entry.put("notMeasured", why);
        }
        entry.put("runs", runs);
        return entry;
    }

    /** Judges the results against {@link LatencyGoal}: one line per goal missed, and exit status 1. */
    private static int check(Path file) throws java.io.IOException {
        List<String> missed = LatencyGoal.missed(new ObjectMapper().readTree(file.toFile()));
        if (missed.isEmpty()) {
            System.out.println("latency check: every goal met (" + LatencyGoal.values().length + " goals per path)");
            return 0;
        }
        missed.forEach(line -> System.err.println("GOAL MISSED " + line));
        System.err.printf("latency check FAILED: %d goal(s) missed (goals: bench/README.md; load average %s)%n",
                missed.size(), Files.readString(Path.of("/proc/loadavg")).trim());
        return 1;
    }

    /** Where the figures of the stages before the player come from: the agent and the relay. */
    private record Sources(Agent agent, RelayArrivals arrivals) {}

    /** One measured window of one path in a newly opened page. */
    private Map<String, Object> measure(LiveStack stack, ChromiumPlayer browser, Sources sources, String engine, String path, int repeat) {
        browser.open(stack.playerUrl("bench", stack.token(Action.PLAY, "bench"), "video=" + path).toString());
        browser.waitFor(List.of("playing"), 30, Duration.ofSeconds(60));
        browser.collect(Duration.ofSeconds(5));
        browser.resetMeasurements();
        ForeignCpu foreign = ForeignCpu.start();
        RelayClock relayClock = RelayClock.system();
        double fromMs = relayClock.nowMicros() / 1000.0;
        StageTime encodedBefore = sources.agent().videoCaptureToEncoded();
        JsonNode run = browser.collect(Duration.ofSeconds(seconds));
        double foreignCores = foreign.coresUsed();
        double toMs = relayClock.nowMicros() / 1000.0;
        StageTime encodedAfter = sources.agent().videoCaptureToEncoded();
        browser.screenshot(Path.of("bench", "target", "latency-" + engine + "-" + path + "-" + repeat + ".png"));
        Map<String, Object> summary = summary(run, seconds);
        summary.put("otherProcessesCores", Math.round(foreignCores * 100) / 100.0);
        Map<String, Object> stages = VideoStages.of(encodedAfter.meanMillisSince(encodedBefore),
                CallLatency.percentile(sources.arrivals().sinceCaptureMs("bench", CapturePipeline.VIDEO_TRACK, fromMs, toMs), 0.5),
                run.path("last"));
        summary.put("videoStagesMs", stages);
        summary.put("samples", run.path("samples")); // every 500 ms: where a percentile's outliers came from
        System.out.printf(Locale.ROOT, "%-18s #%d pixel p50 %.0f p95 %.0f p99 %.0f ms | metadata p50 %.0f p95 %.0f p99 %.0f ms | A/V p50 %+.0f ms | other processes %.2f cores%n",
                engine + " " + path, repeat + 1,
                num(run, "latencyPixelMs", "p50"), num(run, "latencyPixelMs", "p95"), num(run, "latencyPixelMs", "p99"),
                num(run, "latencyMetadataMs", "p50"), num(run, "latencyMetadataMs", "p95"), num(run, "latencyMetadataMs", "p99"),
                num(run, "avOffsetMs", "p50"), foreignCores);
        System.out.println("          where the time went (ms, medians; encode: mean): " + VideoStages.describe(stages));
        System.out.printf(Locale.ROOT, "          frames dropped %d of %d shown, by cause %s; A/V p05 %+.0f p95 %+.0f ms%n",
                summary.get("framesDropped"), summary.get("framesShown"), summary.get("framesDroppedBy"),
                num(run, "avOffsetMs", "p05"), num(run, "avOffsetMs", "p95"));
        return summary;
    }

    private static double num(JsonNode run, String figure, String percentile) {
        return run.path("last").path(figure).path(percentile).asDouble(Double.NaN);
    }

    private static Map<String, Object> summary(JsonNode run, double seconds) {
        JsonNode first = run.path("first");
        JsonNode last = run.path("last");
        Map<String, Object> m = new LinkedHashMap<>();
        for (String figure : List.of("latencyPixelMs", "latencyMetadataMs", "avOffsetMs")) {
            Map<String, Object> p = new LinkedHashMap<>();
            for (String q : List.of("p05", "p50", "p95", "p99", "samples")) {
                p.put(q, last.path(figure).path(q).asDouble());
            }
            m.put(figure, p);
        }
        long shown = last.path("framesShown").asLong() - first.path("framesShown").asLong();
        long dropped = last.path("framesDropped").asLong() - first.path("framesDropped").asLong();
        m.put("framesShown", shown);
        m.put("framesDropped", dropped);
        // Added 2026-12-02: the rates that bench/run latency --check judges.
        m.put("framesShownPerSecond", shown / seconds);
        m.put("framesDroppedPercent", shown > 0 ? 100.0 * dropped / shown : Double.NaN);
        // Added 2026-12-03: the drops by cause (frame-drops.js: late, decodeError, catchUp, queueFull, stall).
        Map<String, Long> droppedBy = new LinkedHashMap<>();
        last.path("framesDroppedBy").fields().forEachRemaining(cause -> droppedBy.put(cause.getKey(),
                cause.getValue().asLong() - first.path("framesDroppedBy").path(cause.getKey()).asLong()));
        m.put("framesDroppedBy", droppedBy);
        double played = last.path("audioPlayedMs").asDouble() - first.path("audioPlayedMs").asDouble();
        double concealed = last.path("audioConcealedMs").asDouble() - first.path("audioConcealedMs").asDouble();
        m.put("audioConcealedPercent", played > 0 ? 100 * concealed / played : Double.NaN);
        m.put("jitterBufferTargetMs", last.path("jitterBufferTargetMs").asDouble());
        m.put("jitterMs", last.path("jitterMs").asDouble());
        m.put("audioOutputLatencyMs", last.path("audioOutputLatencyMs").asDouble());
        m.put("videoBufferMs", last.path("videoBufferMs").asDouble());
        // Added 2026-11-21 (session 2): what holds the latency up, and recoveries during the run.
        m.put("syncFloorMs", last.path("syncFloorMs").asDouble());
        m.put("jitterBufferDepthMs", last.path("jitterBufferDepthMs").asDouble());
        m.put("videoRecoveries", last.path("videoRecoveries").asLong() - first.path("videoRecoveries").asLong());
        // Added 2026-11-22 (session 5): audio removed by accelerate, and what the output device slipped.
        m.put("audioAcceleratedMs", last.path("audioAcceleratedMs").asDouble() - first.path("audioAcceleratedMs").asDouble());
        m.put("audioOutputSlipMs", last.path("audioOutputSlipMs").asDouble() - first.path("audioOutputSlipMs").asDouble());
        return m;
    }
}
