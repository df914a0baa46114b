package dev.tunnelcast.bench.jitter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunnelcast.bench.harness.MachineInfo;
import dev.tunnelcast.bench.impair.ImpairmentProxy;
import dev.tunnelcast.bench.impair.LinkProfile;
import dev.tunnelcast.bench.impair.LinkStats;
import dev.tunnelcast.bench.latency.ChromiumPlayer;
import dev.tunnelcast.bench.latency.ForeignCpu;
import dev.tunnelcast.bench.latency.LiveStack;
import dev.tunnelcast.server.auth.Action;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * Records arrival traces through the {@link ImpairmentProxy}: the pipeline of {@link JitterBench}
 * (relay and capture agent in this JVM, 720p30 at 2.5 Mbit/s, Opus 20 ms; the player in headless
 * Chromium, page and WebSocket through the proxy, both directions impaired), and per network
 * profile the audio packets' (media time, arrival time) as the player's jitter buffer saw them
 * ({@code ?record-arrivals=N}, read with {@code window.tunnelcast.player.audioArrivals()}) over
 * a window after the start-up. Each trace is written as {@code <profile>.json} in the format of
 * the MoQ audio-jitter traces ({@code web-player/bench/trace-replay.js}), so that
 * {@code node web-player/bench/replay-traces.mjs} replays it unchanged; a {@code recorded} field
 * says how it was made and what the live player measured in the same window.
 */
@Command(name = "traces", mixinStandardHelpOptions = true,
        description = {"Records the player's audio arrival traces through the impairment proxy's profiles (headless Chromium).",
                "Default run: 5 profiles x (page start + 8 s settle + 50 s recorded), about 6 minutes."})
public final class TraceRecorder implements Callable<Integer> {

    /** Opus packets of the agent's encoder (OpusSettings.defaults()). */
    private static final int PACKET_MS = 20;

    @Option(names = "--profiles", split = ",", defaultValue = "clean,jitter20,tail50,stall,cap4",
            description = "Network profiles (of: clean, jitter20, tail50, stall, cap4; default: ${DEFAULT-VALUE}).")
    List<String> profiles;

    @Option(names = "--seconds", defaultValue = "50", description = "Seconds of arrivals recorded per profile (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--settle", defaultValue = "8",
            description = "Seconds played unrecorded after the page starts (the GOP backlog catch-up; default: ${DEFAULT-VALUE}).")
    int settleSeconds;

    @Option(names = "--out", defaultValue = "web-player/bench/traces/impairment-proxy",
            description = "Folder of the trace files (default: ${DEFAULT-VALUE}).")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TraceRecorder()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        profiles.forEach(NetworkProfiles::named); // unknown names fail before anything starts
        if (seconds < 5 || seconds * 1000 / PACKET_MS > 30_000) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--seconds: 5 to 600");
        }
        Files.createDirectories(out);
        String command = "bench/run traces --profiles " + String.join(",", profiles) + " --seconds " + seconds
                + " --settle " + settleSeconds + " --out " + out;
        List<String> failed = new ArrayList<>();
        try (LiveStack stack = LiveStack.start(LiveStack.Options.of720p());
             ChromiumPlayer browser = ChromiumPlayer.launch(Path.of("web-player").toAbsolutePath(),
                     Path.of("bench", "target", "traces-chromium.log"))) {
            stack.publish("bench");
            for (String profileName : profiles) {
                try {
                    Path file = out.resolve(profileName + ".json");
                    Map<String, Object> trace = record(stack, browser, profileName, command);
                    new ObjectMapper().writeValue(file.toFile(), trace);
                    System.out.printf(Locale.ROOT, "%-9s wrote %s (%d KB)%n", profileName, file, Files.size(file) / 1024);
                } catch (RuntimeException e) {
                    System.out.printf("%-9s FAILED: %s%n", profileName, e.getMessage());
                    failed.add(profileName);
                }
            }
        }
        System.out.println("command: " + command);
        System.out.println("replay: node web-player/bench/replay-traces.mjs");
        return failed.isEmpty() ? 0 : 1;
    }

    private Map<String, Object> record(LiveStack stack, ChromiumPlayer browser, String profileName, String command)
            throws Exception {
        LinkProfile profile = NetworkProfiles.named(profileName);
        int packets = seconds * 1000 / PACKET_MS;
        try (ImpairmentProxy proxy = ImpairmentProxy.start(stack.port(), profile, profile)) {
            URI direct = stack.playerUrl("bench", stack.token(Action.PLAY, "bench"), "record-arrivals=" + packets);
            browser.open(proxy.route(direct).toString());
            browser.waitFor(List.of("playing"), 30, Duration.ofSeconds(45));
            browser.collect(Duration.ofSeconds(settleSeconds));
            String loadAtStart = MachineInfo.loadAverage();
            Instant start = Instant.now();
            LinkStats before = proxy.stats(ImpairmentProxy.Direction.DOWNSTREAM);
            ForeignCpu foreign = ForeignCpu.start();
            // A second more than the ring holds: every packet it keeps arrived after the settling.
            JsonNode collected = browser.collect(Duration.ofSeconds(seconds + 1));
            LinkStats after = proxy.stats(ImpairmentProxy.Direction.DOWNSTREAM);
            double otherCores = round(foreign.coresUsed(), 100);
            String loadAtEnd = MachineInfo.loadAverage();
            JsonNode log = browser.evaluate("window.tunnelcast.player.audioArrivals()");
            JsonNode first = collected.path("first");
            JsonNode last = collected.path("last");
            if (log.isNull() || log.isMissingNode()) {
                throw new IllegalStateException("the page kept no arrival log");
            }
            if (log.path("total").asLong() < packets) {
                throw new IllegalStateException("the log has " + log.path("total") + " of " + packets
                        + " arrivals since the last reset (a reconnection in the window?)");
            }
            double played = CellRun.delta(first, last, "audioPlayedMs");
            Map<String, Object> live = new LinkedHashMap<>();
            live.put("targetMsAtEnd", round(last.path("jitterBufferTargetMs").asDouble(Double.NaN), 10));
            live.put("concealedPercent", played > 0 ? round(100 * CellRun.delta(first, last, "audioConcealedMs") / played, 100) : Double.NaN);
            live.put("underruns", (long) CellRun.delta(first, last, "audioUnderruns"));
            live.put("reconnects", (long) CellRun.delta(first, last, "reconnects"));
            // The player raises its floor to wait for late video (lip sync); a replay has no video.
            live.put("syncFloorMsAtEnd", round(last.path("syncFloorMs").asDouble(Double.NaN), 10));
            Map<String, Object> link = new LinkedHashMap<>();
            link.put("profile", profile.describe() + " (each direction)");
            long chunks = after.chunks() - before.chunks();
            link.put("chunks", chunks);
            link.put("meanHeldMs", chunks > 0
                    ? round((after.meanHeldMs() * after.chunks() - before.meanHeldMs() * before.chunks()) / chunks, 10) : Double.NaN);
            link.put("maxHeldMsSinceProxyStart", round(after.maxHeldMs(), 10));
            link.put("stalls", after.stalls() - before.stalls());
            Map<String, Object> recorded = new LinkedHashMap<>();
            recorded.put("command", command);
            recorded.put("date", start.toString());
            recorded.put("machine", MachineInfo.describe());
            recorded.put("loadAverageAtStart", loadAtStart);
            recorded.put("loadAverageAtEnd", loadAtEnd);
            // The load averages count this run's own relay, agent (x264) and Chromium; this is everyone else's CPU.
            recorded.put("otherProcessesCores", otherCores);
            recorded.put("source", "1280x720 30 fps H.264 at 2.5 Mbit/s + Opus 20 ms stereo, LiveStack's synthetic camera");
            recorded.put("downstream", link);
            recorded.put("livePlayer", live);
            recorded.put("clock", "arrival: the transport worker's performance.now() at the WebSocket message, from the first packet"
                    + " kept; media: the packet's presentation time from the first packet kept");
            Map<String, Object> trace = new LinkedHashMap<>();
            trace.put("name", profileName);
            trace.put("about", "Recorded through the impairment proxy (" + profile.describe()
                    + ", each direction): " + seconds + " s of Opus arrivals as the player's jitter buffer saw them, "
                    + settleSeconds + " s after the page started playing.");
            trace.put("frame", compact(round(log.path("frameMs").asDouble(PACKET_MS), 1000)));
            trace.put("arrival", relative(log.path("arrivalMs"), 10));
            trace.put("media", relative(log.path("mediaMs"), 1000));
            trace.put("recorded", recorded);
            return trace;
        }
    }

    /** Each value less the first, rounded to 1/{@code per} ms; whole numbers without a fraction (smaller files). */
    private static List<Number> relative(JsonNode values, int per) {
        List<Number> result = new ArrayList<>(values.size());
        double origin = values.path(0).asDouble();
        for (JsonNode v : values) {
            result.add(compact(round(v.asDouble() - origin, per)));
        }
        return result;
    }

    private static Number compact(double ms) {
        return ms == Math.rint(ms) ? (Number) (long) ms : (Number) ms;
    }

    private static double round(double value, int per) {
        return Math.round(value * per) / (double) per;
    }

}
