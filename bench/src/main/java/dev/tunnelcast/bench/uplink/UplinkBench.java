package dev.tunnelcast.bench.uplink;

import dev.tunnelcast.bench.impair.CapSchedule;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tunnelcast.agent.Agent;
import dev.tunnelcast.agent.AgentStats;
import dev.tunnelcast.bench.harness.MachineInfo;
import dev.tunnelcast.bench.impair.ImpairmentProxy;
import dev.tunnelcast.bench.impair.ImpairmentProxy.Direction;
import dev.tunnelcast.bench.impair.LinkProfile;
import dev.tunnelcast.bench.latency.ForeignCpu;
import dev.tunnelcast.bench.latency.LiveStack;
import dev.tunnelcast.server.auth.Action;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Uplink under a bandwidth cap: the capture agent (synthetic 720p30 at 2.5 Mbit/s + Opus)
 * publishes through an {@link ImpairmentProxy} whose upstream is capped below its bitrate,
 * with and without {@code --adaptive}; a subscriber at the relay (straight, one clock)
 * measures what gets through. Every second: the agent's send rate, encoder target, video
 * drops, send queue, and the subscriber's video bitrate and capture → arrival latency.
 */
@Command(name = "uplink", mixinStandardHelpOptions = true,
        description = {"The agent's drop-to-keyframe and adaptive bitrate through a capped uplink, over time.",
                "Default run: scenarios cap (30 s) and dip (40 s) x adaptive off/on x 3 repeats, about 8 minutes."})
public final class UplinkBench implements Callable<Integer> {

    /** The uplink's cap in the {@code cap} scenario, and its floor in the {@code dip} (issue 19's 1.5 Mbit/s). */
    static final long CAP_BITS_PER_SECOND = 1_500_000;

    @Option(names = "--scenarios", split = ",", defaultValue = "cap,dip",
            description = "cap: 1.5 Mbit/s throughout; dip: 4 -> 1.5 Mbit/s at 10 s -> 4 Mbit/s at 25 s, 40 s (default: ${DEFAULT-VALUE}).")
    List<String> scenarios;

    @Option(names = "--seconds", defaultValue = "30", description = "Length of the cap scenario, s (default: ${DEFAULT-VALUE}).")
    int capSeconds;

    @Option(names = "--repeats", defaultValue = "3", description = "Runs per scenario and mode (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--bitrate", defaultValue = "2500000", description = "Encoder target, b/s (default: ${DEFAULT-VALUE}).")
    int bitrate;

    @Option(names = "--out", description = "Results folder (default: bench/results/<date>).")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new UplinkBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<CapSchedule> schedules = scenarios.stream()
                .map(s -> CapSchedule.named(s, capSeconds, CAP_BITS_PER_SECOND, CAP_BITS_PER_SECOND)).toList();
        Path results = out != null ? out : Path.of("bench", "results", LocalDate.now().toString());
        Files.createDirectories(results);
        String command = "bench/run uplink --scenarios " + String.join(",", scenarios) + " --seconds " + capSeconds
                + " --repeats " + repeats + " --bitrate " + bitrate;
        String loadAtStart = MachineInfo.loadAverage();
        List<UplinkRun> runs = new ArrayList<>();
        LiveStack.Options source = new LiveStack.Options(1280, 720, 30, bitrate, java.time.Duration.ofSeconds(15));
        try (LiveStack stack = LiveStack.start(source)) {
            int n = 0;
            for (int repeat = 1; repeat <= repeats; repeat++) {
                for (CapSchedule schedule : schedules) {
                    for (boolean adaptive : new boolean[] {false, true}) {
                        UplinkRun run = runOnce(stack, "uplink" + (++n), schedule, adaptive, repeat);
                        runs.add(run);
                        System.out.printf(Locale.ROOT, "%-4s adaptive %-5s #%d video in %5.0f kb/s | dropped %4d | latency p50 %5.0f p95 %5.0f max %5.0f ms | encoder min %5.0f last %5.0f kb/s%n",
                                schedule.name(), adaptive, repeat, run.receivedVideoKbps(), run.videoDropped(), run.latencyP50Ms(),
                                run.latencyP95Ms(), run.latencyMaxMs(), run.minEncoderKbps(), run.lastEncoderKbps());
                    }
                }
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "uplink");
        doc.put("command", command);
        doc.put("date", Instant.now().toString());
        doc.put("machine", MachineInfo.describe());
        doc.put("loadAverageAtStart", loadAtStart);
        doc.put("source", Map.of("size", "1280x720", "fps", 30, "videoBitrateBps", bitrate, "gopFrames", 60, "audio", "Opus 20 ms stereo"));
        Map<String, String> described = new LinkedHashMap<>();
        schedules.forEach(s -> described.put(s.name(), s.describe()));
        doc.put("scenarios", described);
        doc.put("runs", runs);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(results.resolve("uplink.json").toFile(), doc);
        new UplinkReport(schedules, runs, bitrate).write(results, command, MachineInfo.describe(), loadAtStart);
        System.out.println("wrote " + results.resolve("uplink.json") + " and uplink.md\ncommand: " + command);
        return 0;
    }

    private UplinkRun runOnce(LiveStack stack, String stream, CapSchedule schedule, boolean adaptive, int repeat)
            throws Exception {
        LinkProfile capped = LinkProfile.clean().withCap(schedule.capAt(0));
        try (ImpairmentProxy proxy = ImpairmentProxy.start(stack.port(), capped, LinkProfile.clean())) {
            Agent agent = stack.publish(stream, proxy.port(), adaptive);
            try {
                awaitConnected(agent);
                URI play = URI.create("ws://127.0.0.1:" + stack.port() + "/ws/play/" + stream + "?token="
                        + URLEncoder.encode(stack.token(Action.PLAY, stream), StandardCharsets.UTF_8));
                try (LatencySubscriber subscriber = LatencySubscriber.connect(play)) {
                    return measure(agent, proxy, subscriber, schedule, adaptive, repeat);
                }
            } finally {
                stack.stopPublishing(stream);
            }
        }
    }

    private static void awaitConnected(Agent agent) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!agent.stats().connected()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the agent did not connect through the proxy within 15 s: " + agent.stats().lastError());
            }
            Thread.sleep(50);
        }
    }

    private UplinkRun measure(Agent agent, ImpairmentProxy proxy, LatencySubscriber subscriber, CapSchedule schedule,
                              boolean adaptive, int repeat) throws InterruptedException {
        String load = MachineInfo.loadAverage();
        ForeignCpu foreign = ForeignCpu.start();
        List<UplinkSecond> seconds = new ArrayList<>();
        List<Double> allLatencies = new ArrayList<>();
        List<Double> lastThird = new ArrayList<>();
        subscriber.drain();
        long dropped0 = agent.stats().videoDropped();
        long droppedBefore = dropped0;
        long t0 = System.nanoTime();
        for (int t = 0; t < schedule.seconds(); t++) {
            long cap = schedule.capAt(t);
            proxy.setProfile(Direction.UPSTREAM, LinkProfile.clean().withCap(cap));
            long wait = t0 + (t + 1) * 1_000_000_000L - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            AgentStats s = agent.stats();
            LatencySubscriber.Window w = subscriber.drain();
            allLatencies.addAll(w.latenciesMs());
            if (t >= schedule.seconds() * 2 / 3) {
                lastThird.addAll(w.latenciesMs());
            }
            seconds.add(new UplinkSecond(t + 1, cap / 1000.0, s.sendBitrateBps() / 1000.0, s.videoEncoderBitrateBps() / 1000.0,
                    s.videoDropped() - droppedBefore, s.queueBytes() / 1024.0, s.rttMicros() / 1000.0,
                    w.videoBytes() * 8 / 1000.0, w.percentile(0.5), w.percentile(1.0), w.latenciesMs().size()));
            droppedBefore = s.videoDropped();
        }
        double runSeconds = (System.nanoTime() - t0) / 1e9;
        LatencySubscriber.Window all = new LatencySubscriber.Window(
                seconds.stream().mapToLong(x -> (long) (x.videoReceivedKbps() * 1000 / 8)).sum(), allLatencies);
        LatencySubscriber.Window end = new LatencySubscriber.Window(0, lastThird);
        double cores = Math.round(foreign.coresUsed() * 100) / 100.0;
        return new UplinkRun(schedule.name(), adaptive, repeat, all.videoBytes() * 8 / 1000.0 / runSeconds,
                droppedBefore - dropped0, all.percentile(0.5), all.percentile(0.95), all.percentile(1.0),
                end.percentile(0.5), end.percentile(0.95),
                seconds.stream().mapToDouble(UplinkSecond::encoderKbps).min().orElse(Double.NaN),
                seconds.get(seconds.size() - 1).encoderKbps(), cores, load, seconds);
    }
}
