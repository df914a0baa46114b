package dev.tunnelcast.bench.fanout;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The slow-subscriber case: one player stops reading as soon as it is connected while K
 * others read on. Over a fixed window this samples the relay's RSS (and, for ours, how many
 * players it has closed with 4408) and measures the others' delivery and latency.
 */
final class SlowSubscriberRun {
    private static final long SAMPLE_MILLIS = 500;
    private static final String SLOW_CLOSES = "tunnelcast_refusals_total{code=\"4408\"";

    private SlowSubscriberRun() {}

    /** One RSS sample, {@code seconds} after the stall began. */
    record Sample(double seconds, long residentBytes, double slowCloses) {}

    /**
     * @param stalledClosedAfterSeconds first sample at which the relay had closed the stalled
     *                                  player with 4408, -1 if it never did (or cannot say)
     */
    record Result(String relay, int readingPlayers, int repeat, double loadAverage1m, double stallSeconds,
                  double othersDeliveredPercent, long othersP50Micros, long othersP99Micros,
                  long residentStartBytes, long residentMaxBytes, long residentEndBytes,
                  double residentSlopeLastHalfBytesPerSecond, long heapAfterGcStartBytes, long heapAfterGcEndBytes,
                  double stalledClosedAfterSeconds, List<Sample> samples) {}

    /**
     * Least-squares slope of RSS over the second half of the stall: by then the kernel's socket
     * buffers are full, so a relay without a bound grows at about the stream's bitrate.
     */
    static double slopeLastHalf(List<Sample> samples) {
        double half = samples.get(samples.size() - 1).seconds() / 2;
        List<Sample> late = samples.stream().filter(x -> x.seconds() >= half).toList();
        if (late.size() < 2) return 0;
        double meanT = late.stream().mapToDouble(Sample::seconds).average().orElse(0);
        double meanR = late.stream().mapToDouble(Sample::residentBytes).average().orElse(0);
        double num = 0;
        double den = 0;
        for (Sample x : late) {
            num += (x.seconds() - meanT) * (x.residentBytes() - meanR);
            den += (x.seconds() - meanT) * (x.seconds() - meanT);
        }
        return den == 0 ? 0 : num / den;
    }

    static Result measure(RelayKind kind, int readingPlayers, int stallSeconds, int repeat, FanoutRun.Settings settings)
            throws Exception {
        double load = FanoutRun.loadAverage();
        var log = settings.logDir().resolve(kind.label + "-slow-" + readingPlayers + "-" + repeat + ".log");
        try (BenchRelay relay = kind.start(settings.relayJar(), log);
             SyntheticPublisher publisher = FanoutRun.publisherFor(relay)) {
            Thread.sleep(1000);
            long heapStart = relay.heapUsedAfterGcBytes(); // -1 for a relay without a heap figure
            var playersLog = settings.logDir().resolve(kind.label + "-slow-" + readingPlayers + "-" + repeat + "-players.log");
            try (SwarmProcess swarm = FanoutRun.swarmFor(relay, readingPlayers + 1, 1, playersLog)) {
                long t0 = System.nanoTime(); // the stall began when the players connected
                FanoutRun.MeasuredFrom from = FanoutRun.startMeasuring(publisher, swarm);
                long firstVideo = from.videoSequence();
                long firstAudio = from.audioSequence();
                List<Sample> samples = new ArrayList<>();
                double closedAfter = -1;
                while (true) {
                    double t = (System.nanoTime() - t0) / 1e9;
                    double closes = slowCloses(relay.metrics());
                    samples.add(new Sample(t, relay.residentBytes(), closes));
                    if (closes > 0 && closedAfter < 0) closedAfter = t;
                    if (t >= stallSeconds) break;
                    Thread.sleep(SAMPLE_MILLIS);
                }
                long heapEnd = relay.heapUsedAfterGcBytes(); // what is really held, JVM heap sizing aside
                publisher.stopSending();
                Thread.sleep(2000);
                long sent = (publisher.nextVideoSequence() - firstVideo) + (publisher.nextAudioSequence() - firstAudio);
                swarm.stopMeasuring();
                SubscriberSwarm.Snapshot s = swarm.snapshot();
                long delivered = s.deliveredPerHealthyPlayer().stream().mapToLong(Long::longValue).sum();
                Histogram h = s.latencyMicros();
                long max = samples.stream().mapToLong(Sample::residentBytes).max().orElse(-1);
                return new Result(kind.label, readingPlayers, repeat, load, stallSeconds,
                        100.0 * delivered / ((double) readingPlayers * sent),
                        h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                        samples.get(0).residentBytes(), max, samples.get(samples.size() - 1).residentBytes(),
                        slopeLastHalf(samples), heapStart, heapEnd, closedAfter, samples);
            }
        }
    }

    /** Players the relay closed as too slow (4408), from its metrics; 0 for a relay without them. */
    static double slowCloses(String metrics) {
        double sum = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(SLOW_CLOSES)) sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return sum;
    }
}
