package dev.tunnelcast.bench.jitter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tunnelcast.bench.harness.MachineInfo;
import dev.tunnelcast.bench.impair.ImpairmentProxy;
import dev.tunnelcast.bench.impair.LinkProfile;
import dev.tunnelcast.bench.latency.ChromiumPlayer;
import dev.tunnelcast.bench.latency.ForeignCpu;
import dev.tunnelcast.bench.latency.LiveStack;
import dev.tunnelcast.server.auth.Action;
import java.net.URI;
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
 * Jitter-buffer sweep: relay and capture agent in this JVM (720p30, 2.5 Mbit/s, Opus), the
 * player in headless Chromium, and an {@link ImpairmentProxy} between them (the page is
 * opened through the proxy, so its WebSocket crosses it). For each network profile × jitter
 * buffer setting ({@code ?latency=floor-ceiling}): open the page, let the start-up backlog
 * pass, then measure repeated windows: pixel latency, audio concealment, video stalls, A/V
 * offset and the buffer's target.
 */
@Command(name = "jitter", mixinStandardHelpOptions = true,
        description = {"Jitter-buffer floor/ceiling settings x network impairments, measured in headless Chromium.",
                "Default run: 5 profiles x 3 settings x (page start + 5 s settle + 2 windows of 8 s), about 7-8 minutes."})
public final class JitterBench implements Callable<Integer> {

    /** The player's own setting when the page has no {@code latency} parameter (web-player/src/main.js). */
    static final String PLAYER_DEFAULT = "default";

    @Option(names = "--profiles", split = ",", defaultValue = "clean,jitter20,tail50,stall,cap4",
            description = "Network profiles (of: clean, jitter20, tail50, stall, cap4; default: ${DEFAULT-VALUE}).")
    List<String> profiles;

    @Option(names = "--settings", split = ",", defaultValue = "default,20-60,150-400",
            description = "Jitter buffer floor-ceiling in ms; 'default' is the player's own, 20-1000 adaptive (default: ${DEFAULT-VALUE}).")
    List<String> settings;

    @Option(names = "--seconds", defaultValue = "8",
            description = "Measured window, s; keep it a multiple of the stall profile's 8 s period (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--repeats", defaultValue = "2", description = "Windows per cell (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--settle", defaultValue = "5",
            description = "Seconds played unmeasured after the page starts (the GOP backlog catch-up; default: ${DEFAULT-VALUE}).")
    int settleSeconds;

    @Option(names = "--out", description = "Results folder (default: bench/results/<date>).")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new JitterBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        profiles.forEach(NetworkProfiles::named); // unknown names fail before anything starts
        settings.forEach(JitterBench::latencyQuery);
        Path results = out != null ? out : Path.of("bench", "results", LocalDate.now().toString());
        Files.createDirectories(results);
        String command = "bench/run jitter --profiles " + String.join(",", profiles) + " --settings "
                + String.join(",", settings) + " --seconds " + seconds + " --repeats " + repeats + " --settle " + settleSeconds;
        String loadAtStart = MachineInfo.loadAverage();
        List<CellRun> runs = new ArrayList<>();
        List<Map<String, String>> failures = new ArrayList<>();
        try (LiveStack stack = LiveStack.start(LiveStack.Options.of720p());
             ChromiumPlayer browser = ChromiumPlayer.launch(Path.of("web-player").toAbsolutePath(),
                     Path.of("bench", "target", "jitter-chromium.log"))) {
            stack.publish("bench");
            for (String profileName : profiles) {
                for (String setting : settings) {
                    try {
                        runs.addAll(measureCell(stack, browser, profileName, setting));
                    } catch (RuntimeException e) {
                        System.out.printf("%-9s %-8s FAILED: %s%n", profileName, setting, e.getMessage());
                        failures.add(Map.of("profile", profileName, "setting", setting, "error", String.valueOf(e.getMessage())));
                    }
                }
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "jitter");
        doc.put("command", command);
        doc.put("date", Instant.now().toString());
        doc.put("machine", MachineInfo.describe());
        doc.put("loadAverageAtStart", loadAtStart);
        doc.put("source", Map.of("size", "1280x720", "fps", 30, "videoBitrateBps", 2_500_000, "audio", "Opus 20 ms stereo"));
        Map<String, String> described = new LinkedHashMap<>();
        profiles.forEach(p -> described.put(p, NetworkProfiles.named(p).describe() + " (each direction)"));
        doc.put("profiles", described);
        doc.put("videoStall", "framesShown not advancing for more than " + StallWatch.THRESHOLD_MS + " ms");
        doc.put("runs", runs);
        doc.put("failures", failures);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(results.resolve("jitter.json").toFile(), doc);
        new JitterReport(profiles, settings, runs, failures).write(results, command, MachineInfo.describe(), loadAtStart);
        System.out.println("wrote " + results.resolve("jitter.json") + " and jitter.md\ncommand: " + command);
        return failures.isEmpty() ? 0 : 1;
    }

    private List<CellRun> measureCell(LiveStack stack, ChromiumPlayer browser, String profileName, String setting)
            throws Exception {
        LinkProfile profile = NetworkProfiles.named(profileName);
        List<CellRun> cell = new ArrayList<>();
        // Both directions: the player's clock sync (NTP-style) assumes a symmetric path, and a
        // one-sided delay would bias every latency figure by half of it.
        try (ImpairmentProxy proxy = ImpairmentProxy.start(stack.port(), profile, profile)) {
            URI direct = stack.playerUrl("bench", stack.token(Action.PLAY, "bench"), latencyQuery(setting));
            browser.open(proxy.route(direct).toString());
            browser.waitFor(List.of("playing"), 30, Duration.ofSeconds(45));
            browser.collect(Duration.ofSeconds(settleSeconds));
            for (int repeat = 1; repeat <= repeats; repeat++) {
                browser.resetMeasurements();
                StallWatch.reset(browser);
                String load = MachineInfo.loadAverage();
                ForeignCpu foreign = ForeignCpu.start();
                JsonNode collected = browser.collect(Duration.ofSeconds(seconds));
                CellRun run = CellRun.of(profileName, setting, repeat, seconds, collected, StallWatch.read(browser),
                        proxy.stats(ImpairmentProxy.Direction.DOWNSTREAM), Math.round(foreign.coresUsed() * 100) / 100.0, load);
                cell.add(run);
                System.out.printf(Locale.ROOT, "%-9s %-8s #%d pixel p50 %4.0f p95 %4.0f ms | concealed %5.2f %% | stalls %d (%4.0f ms) | A/V %+4.0f ms | target %4.0f ms | others %.2f cores%n",
                        profileName, setting, repeat, run.pixelP50Ms(), run.pixelP95Ms(), run.concealedPercent(),
                        run.videoStalls(), run.videoFrozenMs(), run.avOffsetP50Ms(), run.jitterBufferTargetMs(),
                        run.otherProcessesCores());
            }
        }
        return cell;
    }

    /** The page's query for a setting: "" for the player's default, else {@code latency=floor-ceiling}. */
    static String latencyQuery(String setting) {
        if (setting.equals(PLAYER_DEFAULT)) {
            return "";
        }
        if (!setting.matches("\\d+-\\d+")) {
            throw new IllegalArgumentException("a setting is 'default' or floor-ceiling in ms (20-60), got '" + setting + "'");
        }
        return "latency=" + setting;
    }
}
