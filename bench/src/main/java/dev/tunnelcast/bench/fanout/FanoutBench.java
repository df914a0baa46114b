package dev.tunnelcast.bench.fanout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Fan-out, side by side: our relay and a Node {@code ws} broadcast relay (JSMpeg style), each
 * in its own process, fed by the same synthetic 720p30 publisher and read by the same player
 * swarm. Sweeps the player count (repeats interleaved between relays), stops a relay's sweep
 * one step after it fails the capacity bar, then runs the slow-subscriber case for each.
 */
@Command(name = "fanout", mixinStandardHelpOptions = true,
        description = {"Fan-out side by side: Tunnelcast vs a Node ws broadcast relay (delivery, latency, CPU, RSS per N),",
                "then one stalled subscriber among K readers (RSS over time, the others' p99).",
                "The default run takes about 9-10 minutes on 2 cores: 5 counts x 3 repeats x 2 relays x ~15 s, then 4 slow runs of ~30 s."})
public final class FanoutBench implements Callable<Integer> {

    @Option(names = "--relays", split = ",", defaultValue = "tunnelcast,node-ws",
            description = "Relays to compare: tunnelcast, node-ws (default: ${DEFAULT-VALUE}).")
    List<String> relays;

    @Option(names = "--players", split = ",", defaultValue = "100,250,500,1000,1500",
            description = "Player counts to sweep (default: ${DEFAULT-VALUE}).")
    List<Integer> playerCounts;

    @Option(names = "--seconds", defaultValue = "6", description = "Measured window per run (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup", defaultValue = "4", description = "Seconds before measuring (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--repeats", defaultValue = "3", description = "Runs per relay and player count (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--stalled", defaultValue = "0",
            description = "Players in the sweep that stop reading once connected (default: ${DEFAULT-VALUE}).")
    int stalledPlayers;

    @Option(names = "--slow-players", defaultValue = "100",
            description = "Slow-subscriber case: players that keep reading beside the stalled one; 0 skips the case (default: ${DEFAULT-VALUE}).")
    int slowReadingPlayers;

    @Option(names = "--slow-seconds", defaultValue = "25",
            description = "Slow-subscriber case: how long the stalled player does not read (default: ${DEFAULT-VALUE}).")
    int slowSeconds;

    @Option(names = "--slow-repeats", defaultValue = "2", description = "Slow-subscriber runs per relay (default: ${DEFAULT-VALUE}).")
    int slowRepeats;

    @Option(names = "--relay-jar", defaultValue = "server/target/tunnelcast-relay.jar")
    Path relayJar;

    @Option(names = "--out", description = "Results folder (default: bench/results/<date>).")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FanoutBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (out == null) out = Path.of("bench", "results", LocalDate.now().toString());
        Files.createDirectories(out);
        List<RelayKind> kinds = relays.stream().map(RelayKind::byLabel).toList();
        double loadAtStart = FanoutRun.loadAverage();
        FanoutRun.Settings settings = new FanoutRun.Settings(relayJar, out.resolve("raw"), warmupSeconds, seconds);
        List<RunResult> runs = sweep(kinds, settings);
        List<SlowSubscriberRun.Result> slow = new ArrayList<>();
        for (int repeat = 1; slowReadingPlayers > 0 && repeat <= slowRepeats; repeat++) {
            for (RelayKind kind : kinds) {
                SlowSubscriberRun.Result r = SlowSubscriberRun.measure(kind, slowReadingPlayers, slowSeconds, repeat, settings);
                slow.add(r);
                System.out.printf("slow %s repeat=%d others p99=%.2fms delivered=%.3f%% RSS %.0f→max %.0f MiB closed-4408-after=%.1fs%n",
                        r.relay(), repeat, r.othersP99Micros() / 1000.0, r.othersDeliveredPercent(),
                        r.residentStartBytes() / 1048576.0, r.residentMaxBytes() / 1048576.0, r.stalledClosedAfterSeconds());
            }
        }
        new FanoutReport(out, kinds, playerCounts, Capacity.ISSUE_6, commandLine(), loadAtStart, seconds, repeats)
                .write(runs, slow);
        return 0;
    }

    /** Every player count, repeats interleaved between relays; a relay stops one step after failing the bar. */
    private List<RunResult> sweep(List<RelayKind> kinds, FanoutRun.Settings settings) throws Exception {
        List<RunResult> runs = new ArrayList<>();
        Set<RelayKind> active = new LinkedHashSet<>(kinds);
        Set<RelayKind> failedOnce = new LinkedHashSet<>();
        for (int players : playerCounts) {
            if (active.isEmpty()) break;
            List<RunResult> here = new ArrayList<>();
            for (int repeat = 1; repeat <= repeats; repeat++) {
                for (RelayKind kind : active) {
                    RunResult r;
                    try {
                        r = FanoutRun.measure(kind, players, stalledPlayers, repeat, settings);
                    } catch (FanoutRun.PlayersDidNotConnect e) {
                        System.out.println(kind.label + " players=" + players + " repeat=" + repeat + ": " + e.getMessage());
                        r = RunResult.notConnected(kind.label, players, stalledPlayers, repeat, FanoutRun.loadAverage());
                    }
                    here.add(r);
                    System.out.printf("%s players=%d repeat=%d delivered=%.3f%% p50=%.2fms p99=%.2fms relayCpu=%.0f%% cpuPerMsg=%.2fus kernel=%.0f%% syscallsPerMsg=%.3f benchCpu=%.0f%% playersCpu=%.0f%% relayAddedP99=%.1fms (audio %.1f, keyframes %.1f) rss=%.0fMiB drops=%.0f closes=%s load=%.2f%n",
                            r.relay(), players, repeat, r.deliveredPercent(), r.latencyP50Micros() / 1000.0,
                            r.latencyP99Micros() / 1000.0, r.relayCpuPercentOfCore(), r.relayCpuMicrosPerDelivered(),
                            r.relayKernelPercentOfCpu(), r.relaySyscallsPerDelivered(), r.benchCpuPercentOfCore(),
                            r.playersCpuPercentOfCore(), r.relayOwnP99Micros() / 1000.0, r.relayAudioP99Micros() / 1000.0,
                            r.relayKeyframeP99Micros() / 1000.0,
                            r.relayResidentBytes() / 1048576.0, r.relayDrops(), r.closeCodes(), r.loadAverage1m());
                }
            }
            runs.addAll(here);
            for (RelayKind kind : List.copyOf(active)) {
                if (failedOnce.contains(kind)) active.remove(kind); // this was the step past its collapse
                else if (!Capacity.ISSUE_6.sustains(here.stream().filter(r -> r.relay().equals(kind.label)).toList())) {
                    failedOnce.add(kind);
                }
            }
        }
        return runs;
    }

    private List<String> commandLine() {
        return List.of("--relays", String.join(",", relays),
                "--players", String.join(",", playerCounts.stream().map(String::valueOf).toList()),
                "--seconds", Integer.toString(seconds), "--warmup", Integer.toString(warmupSeconds),
                "--repeats", Integer.toString(repeats), "--stalled", Integer.toString(stalledPlayers),
                "--slow-players", Integer.toString(slowReadingPlayers), "--slow-seconds", Integer.toString(slowSeconds),
                "--slow-repeats", Integer.toString(slowRepeats));
    }
}
