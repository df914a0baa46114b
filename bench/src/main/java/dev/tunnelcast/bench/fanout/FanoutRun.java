package dev.tunnelcast.bench.fanout;

import dev.tunnelcast.bench.harness.PrometheusText;
import dev.tunnelcast.bench.harness.SyscallCount;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;

/**
 * One run: a fresh relay process, the synthetic publisher (in this JVM), N players (in a
 * process of their own); warm up, then measure delivery, latency and each process's CPU over
 * a window. Both relays go through exactly this code.
 */
final class FanoutRun {
    /** The relay's own histogram: relay receive → socket write completed, per message and player. */
    private static final String RELAY_LATENCY = "tunnelcast_relay_latency_seconds";
    static final String STREAM = "bench";

    private FanoutRun() {}

    record Settings(Path relayJar, Path logDir, int warmupSeconds, int seconds) {}

    static RunResult measure(RelayKind kind, int players, int stalledPlayers, int repeat, Settings settings)
            throws Exception {
        double load = loadAverage();
        Path log = settings.logDir().resolve(kind.label + "-" + players + "-" + repeat + ".log");
        try (BenchRelay relay = kind.start(settings.relayJar(), log);
             SyntheticPublisher publisher = publisherFor(relay)) {
            Thread.sleep(500); // the publisher's Hello and track configs reach the relay
            long heapBefore = relay.heapUsedAfterGcBytes();
            Path playersLog = settings.logDir().resolve(kind.label + "-" + players + "-" + repeat + "-players.log");
            try (SwarmProcess swarm = swarmFor(relay, players, stalledPlayers, playersLog)) {
                Thread.sleep(settings.warmupSeconds() * 1000L);
                MeasuredFrom from = startMeasuring(publisher, swarm);
                long firstVideo = from.videoSequence();
                long firstAudio = from.audioSequence();
                String metrics0 = relay.metrics();
                double relayCpu0 = relay.cpuSeconds();
                double relaySystem0 = relay.systemCpuSeconds();
                double benchCpu0 = benchCpuSeconds();
                double playersCpu0 = swarm.cpuSeconds();
                long t0 = System.nanoTime();
                SyscallCount syscalls = SyscallCount.start(relay.pid(), settings.seconds());
                Thread.sleep(settings.seconds() * 1000L);
                double window = (System.nanoTime() - t0) / 1e9;
                double relayCpu = relay.cpuSeconds() - relayCpu0;
                double relaySystem = relay.systemCpuSeconds() - relaySystem0;
                long relaySyscalls = SyscallCount.finish(syscalls);
                double benchCpu = benchCpuSeconds() - benchCpu0;
                double playersCpu = swarm.cpuSeconds() - playersCpu0;
                long rss = relay.residentBytes();
                String metrics1 = relay.metrics();
                publisher.stopSending();
                double publishing = (System.nanoTime() - t0) / 1e9; // what was sent (and delivered) from t0 until now
                Thread.sleep(2000); // drain what is in flight (the pacer may finish one last send)
                long sent = (publisher.nextVideoSequence() - firstVideo) + (publisher.nextAudioSequence() - firstAudio);
                swarm.stopMeasuring();
                long heapWith = relay.heapUsedAfterGcBytes();
                SubscriberSwarm.Snapshot s = swarm.snapshot();
                long delivered = s.deliveredPerHealthyPlayer().stream().mapToLong(Long::longValue).sum();
                int healthy = s.deliveredPerHealthyPlayer().size();
                Histogram h = s.latencyMicros();
                double deliveredInWindow = healthy == 0 ? 0 : delivered * (window / publishing);
                boolean hasMetrics = !metrics1.isEmpty();
                var latency0 = hasMetrics ? PrometheusText.buckets(metrics0, RELAY_LATENCY) : null;
                var latency1 = hasMetrics ? PrometheusText.buckets(metrics1, RELAY_LATENCY) : null;
                return new RunResult(kind.label, players, stalledPlayers, repeat, load, window, sent,
                        healthy == 0 ? 0 : 100.0 * delivered / ((double) healthy * sent),
                        h.getValueAtPercentile(50), h.getValueAtPercentile(95), h.getValueAtPercentile(99),
                        h.getMaxValue(),
                        hasMetrics ? (long) (PrometheusText.percentileBetween(latency0, latency1, 50) * 1e6) : -1,
                        hasMetrics ? (long) (PrometheusText.percentileBetween(latency0, latency1, 99) * 1e6) : -1,
                        hasMetrics ? relayP99Micros(metrics0, metrics1, "kind=\"audio\"") : -1,
                        hasMetrics ? relayP99Micros(metrics0, metrics1, "kind=\"keyframe\"") : -1,
                        100 * relayCpu / window, 100 * benchCpu / window, 100 * playersCpu / window,
                        heapWith < 0 ? -1 : (heapWith - heapBefore) / players, heapWith, rss,
                        hasMetrics ? PrometheusText.sum(relay.metrics(), "tunnelcast_drops_total") : -1,
                        s.closeCodes().toString(),
                        deliveredInWindow == 0 ? -1 : relayCpu * 1e6 / deliveredInWindow,
                        deliveredInWindow == 0 || relaySyscalls < 0 ? -1 : relaySyscalls / deliveredInWindow,
                        relayCpu <= 0 ? -1 : 100 * relaySystem / relayCpu);
            }
        }
    }

    /** The relay's own p99 (bucket upper bound) between two scrapes, over the messages {@code label} tags; -1 for none. */
    private static long relayP99Micros(String before, String after, String label) {
        double seconds = PrometheusText.percentileBetween(PrometheusText.buckets(before, RELAY_LATENCY, label),
                PrometheusText.buckets(after, RELAY_LATENCY, label), 99);
        return Double.isFinite(seconds) ? (long) (seconds * 1e6) : -1;
    }

    /** The first packets the players count, one per track. */
    record MeasuredFrom(long videoSequence, long audioSequence) {}

    /**
     * Tells the players to count from the packets the publisher will send a second from now, and
     * returns once it has sent them: the players' process has the numbers before any of those
     * packets exists, however long the command takes to reach it (counting from the packets
     * about to be sent lost the first ones that arrived before the command).
     */
    static MeasuredFrom startMeasuring(SyntheticPublisher publisher, SwarmProcess swarm) throws InterruptedException {
        MeasuredFrom from = new MeasuredFrom(publisher.nextVideoSequence() + publisher.profile().framesPerSecond(),
                publisher.nextAudioSequence() + publisher.profile().audioPacketsPerSecond());
        swarm.startMeasuring(from.videoSequence(), from.audioSequence());
        if (publisher.nextVideoSequence() > from.videoSequence() || publisher.nextAudioSequence() > from.audioSequence()) {
            throw new IllegalStateException("the players' process took over a second to start measuring");
        }
        while (publisher.nextVideoSequence() < from.videoSequence() || publisher.nextAudioSequence() < from.audioSequence()) {
            Thread.sleep(2);
        }
        return from;
    }

    static SyntheticPublisher publisherFor(BenchRelay relay) throws Exception {
        return new SyntheticPublisher(URI.create("ws://127.0.0.1:" + relay.port() + "/ws/publish/" + STREAM),
                StreamProfile.hd720p30());
    }

    /** The players, in their own process, all connected (and welcomed, where the relay welcomes). */
    static SwarmProcess swarmFor(BenchRelay relay, int players, int stalledPlayers, Path log) throws Exception {
        SwarmProcess swarm = new SwarmProcess(new InetSocketAddress("127.0.0.1", relay.port()), STREAM,
                players, stalledPlayers, relay.sendsWelcome(), log);
        if (!swarm.awaitConnected()) {
            swarm.close();
            throw new PlayersDidNotConnect(players);
        }
        return swarm;
    }

    /** A relay too loaded to accept its players within the minute: a collapsed run, not a crash. */
    static final class PlayersDidNotConnect extends Exception {
        PlayersDidNotConnect(int players) {
            super("not all of " + players + " players connected within 60 s");
        }
    }

    static double benchCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /** The 1-minute load average, or -1 off Linux. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
