package dev.tunnelcast.bench.abr;

import dev.tunnelcast.bench.impair.CapSchedule;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tunnelcast.bench.harness.MachineInfo;
import dev.tunnelcast.bench.latency.ChromiumPlayer;
import dev.tunnelcast.bench.latency.LiveStack;
import dev.tunnelcast.server.relay.LayerSettings;
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
 * Adaptive quality on the way down (issue 19): a player behind a capped link beside an open
 * one, for today's single layer (video dropped to the next keyframe when the link falls behind)
 * and for simulcast (the relay moves the player between layers). Relay and capture agent run in
 * this JVM, each player in a headless Chromium of its own ({@link AbrRunner}); every second each player's
 * received bitrate, layer, stalled time and pixel latency are read ({@link PageWatch}).
 */
@Command(name = "abr", mixinStandardHelpOptions = true,
        description = {"A player behind a capped or dipping link beside an open one: single layer vs simulcast, over time.",
                "Default run: scenarios cap (40 s) and dip (40 s) x modes single, simulcast x 2 repeats, about 8 minutes."})
public final class AbrBench implements Callable<Integer> {

    /** The capped player's link in the {@code cap} scenario (issue 19's 1 Mbit/s), and in the {@code dip}'s low part. */
    static final long CAP_BITS_PER_SECOND = 1_000_000;
    static final long DIP_BITS_PER_SECOND = 800_000;

    @Option(names = "--scenarios", split = ",", defaultValue = "cap,dip",
            description = "cap: 1 Mbit/s throughout; dip: 4 -> 0.8 Mbit/s at 10 s -> 4 Mbit/s at 25 s, 40 s (default: ${DEFAULT-VALUE}).")
    List<String> scenarios;

    @Option(names = "--modes", split = ",", defaultValue = "single,simulcast",
            description = "single: one 960x540 layer at 2.5 Mbit/s (drop-to-keyframe); simulcast: " + AbrMode.LAYERS
                    + " (default: ${DEFAULT-VALUE}).")
    List<String> modes;

    @Option(names = "--seconds", defaultValue = "40", description = "Measured length of the cap scenario, s (default: ${DEFAULT-VALUE}).")
    int capSeconds;

    @Option(names = "--warmup", defaultValue = "8",
            description = "Seconds played under the scenario's first cap before measuring (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--repeats", defaultValue = "2", description = "Runs per scenario and mode (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--layer-probe-max", defaultValue = "60",
            description = "The relay's --layer-probe-max, s: the longest wait between probes up (default: ${DEFAULT-VALUE}, the relay's).")
    int probeMaxSeconds;

    @Option(names = "--check", description = "Exit 1, with a line per part missed, unless simulcast meets the goal in bench/README.md.")
    boolean check;

    @Option(names = "--out", description = "Results folder (default: bench/results/<date>).")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new AbrBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<CapSchedule> schedules = scenarios.stream()
                .map(s -> CapSchedule.named(s, capSeconds, CAP_BITS_PER_SECOND, DIP_BITS_PER_SECOND)).toList();
        List<AbrMode> modeList = modes.stream().map(AbrMode::named).toList();
        LayerSettings layers = LayerSettings.DEFAULTS.withMaxProbeAfter(Duration.ofSeconds(probeMaxSeconds));
        Path results = out != null ? out : Path.of("bench", "results", LocalDate.now().toString());
        Files.createDirectories(results);
        String command = "bench/run abr --scenarios " + String.join(",", scenarios) + " --modes " + String.join(",", modes)
                + " --seconds " + capSeconds + " --warmup " + warmupSeconds + " --repeats " + repeats
                + " --layer-probe-max " + probeMaxSeconds + (check ? " --check" : "");
        String loadAtStart = MachineInfo.loadAverage();
        List<AbrRun> runs = new ArrayList<>();
        List<Map<String, String>> failures = new ArrayList<>();
        RelaySettings relaySettings;
        try (LiveStack stack = LiveStack.start(AbrMode.source(), null, relay -> relay.layers(layers));
             ChromiumPlayer cappedBrowser = ChromiumPlayer.launch(Path.of("web-player").toAbsolutePath(),
                     Path.of("bench", "target", "abr-capped-chromium.log"));
             ChromiumPlayer openBrowser = ChromiumPlayer.launch(Path.of("web-player").toAbsolutePath(),
                     Path.of("bench", "target", "abr-open-chromium.log"))) {
            relaySettings = RelaySettings.of(stack.relay().config());
            AbrRunner runner = new AbrRunner(stack, cappedBrowser, openBrowser, Duration.ofSeconds(warmupSeconds));
            int n = 0;
            for (int repeat = 1; repeat <= repeats; repeat++) {
                for (CapSchedule scenario : schedules) {
                    for (AbrMode mode : modeList) {
                        try {
                            AbrRun run = runner.run("abr" + (++n), scenario, mode, repeat);
                            runs.add(run);
                            print(run);
                        } catch (RuntimeException e) {
                            System.out.printf("%-4s %-9s #%d FAILED: %s%n", scenario.name(), mode.label, repeat, e.getMessage());
                            failures.add(Map.of("scenario", scenario.name(), "mode", mode.label, "repeat", String.valueOf(repeat),
                                    "error", String.valueOf(e.getMessage())));
                        }
                    }
                }
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "abr");
        doc.put("command", command);
        doc.put("date", Instant.now().toString());
        doc.put("machine", MachineInfo.describe());
        doc.put("loadAverageAtStart", loadAtStart);
        Map<String, String> described = new LinkedHashMap<>();
        modeList.forEach(m -> described.put(m.label, m.describe()));
        doc.put("source", Map.of("fps", AbrMode.FRAME_RATE, "gopFrames", 2 * AbrMode.FRAME_RATE, "audio", "Opus 20 ms stereo",
                "modes", described));
        doc.put("relay", relaySettings);
        Map<String, String> scenarioText = new LinkedHashMap<>();
        schedules.forEach(s -> scenarioText.put(s.name(), s.describe()));
        doc.put("scenarios", scenarioText);
        doc.put("warmupSeconds", warmupSeconds);
        doc.put("videoStall", "framesShown not advancing for more than " + PageWatch.STALL_MS + " ms (the whole episode counts)");
        AbrGoal.Verdict verdict = AbrGoal.judge(runs, AbrMode.SIMULCAST.label);
        doc.put("goal", Map.of("met", verdict.met(), "missed", verdict.missed()));
        doc.put("runs", runs);
        doc.put("failures", failures);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(results.resolve("abr.json").toFile(), doc);
        new AbrReport(schedules, modeList, runs, failures, relaySettings).write(results, command, MachineInfo.describe(), loadAtStart);
        System.out.println("wrote " + results.resolve("abr.json") + " and abr.md\ncommand: " + command);
        if (check) {
            if (verdict.met()) {
                System.out.println("abr check: goal met by simulcast (" + verdict.words() + ")");
            } else {
                verdict.missed().forEach(line -> System.err.println("GOAL MISSED " + line));
                System.err.println("abr check FAILED (goal: bench/README.md; load average " + MachineInfo.loadAverage() + ")");
                return 1;
            }
        }
        return failures.isEmpty() ? 0 : 1;
    }

    private static void print(AbrRun r) {
        TabFigures c = r.capped();
        TabFigures o = r.open();
        System.out.printf(Locale.ROOT, "%-4s %-9s #%d capped %5.0f kb/s stalled %5.2f %% (%d) p50 %4.0f ms | open %5.0f kb/s "
                        + "stalled %5.2f %% p50 %4.0f ms | gap %+4.0f ms (clock %+3.0f) | switches %d drops %d errors %d reconnects %d "
                        + "| layers %s | others %.2f cores%n",
                r.scenario(), r.mode(), r.repeat(), c.receivedKbps(), c.stalledPercent(), c.stalls(), c.latencyP50Ms(),
                o.receivedKbps(), o.stalledPercent(), o.latencyP50Ms(), r.latencyGapMs(), r.clockGapMs(), c.layerSwitches(),
                c.relayDrops(), c.decodeErrors(), c.reconnects(), c.layerPercent(), r.otherProcessesCores());
    }
}
