package dev.tunnelcast.bench.cluster;

import dev.tunnelcast.bench.cluster.HopPlayer.Arrival;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Latency figures of one run from the players' arrivals, counting only packets the publisher
 * sent inside the measured window: end to end (publisher's stamp to arrival) on the
 * publishing node and on the others, and the hop's added latency: a packet's arrival at a
 * player of another node minus its first arrival at a player of the publishing node.
 */
record HopFigures(long hopSamples, double hopP50Millis, double hopP99Millis, double localP50Millis,
                  double localP99Millis, double remoteP50Millis, double remoteP99Millis, int fewestPacketsPerPlayer) {

    /** What one player of {@code node} got. */
    record Received(String node, List<Arrival> arrivals) {
    }

    static HopFigures of(String publishingNode, List<Received> players, long fromMicros, long toMicros) {
        Map<Long, Long> firstLocal = new HashMap<>();
        long[] local = new long[0];
        long[] remote = new long[0];
        int fewest = Integer.MAX_VALUE;
        for (Received player : players) {
            List<Arrival> inWindow = player.arrivals().stream()
                    .filter(a -> a.sentMicros() >= fromMicros && a.sentMicros() < toMicros).toList();
            fewest = Math.min(fewest, inWindow.size());
            long[] latencies = inWindow.stream().mapToLong(a -> a.arrivedMicros() - a.sentMicros()).toArray();
            if (player.node().equals(publishingNode)) {
                local = concat(local, latencies);
                inWindow.forEach(a -> firstLocal.merge(key(a), a.arrivedMicros(), Math::min));
            } else {
                remote = concat(remote, latencies);
            }
        }
        long[] hop = players.stream().filter(p -> !p.node().equals(publishingNode))
                .flatMap(p -> p.arrivals().stream())
                .filter(a -> a.sentMicros() >= fromMicros && a.sentMicros() < toMicros && firstLocal.containsKey(key(a)))
                .mapToLong(a -> a.arrivedMicros() - firstLocal.get(key(a))).toArray();
        return new HopFigures(hop.length, millis(hop, 50), millis(hop, 99), millis(local, 50), millis(local, 99),
                millis(remote, 50), millis(remote, 99), players.isEmpty() ? 0 : fewest);
    }

    private static long key(Arrival a) {
        return ((long) a.track() << 48) | a.sequence();
    }

    private static long[] concat(long[] a, long[] b) {
        long[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** The nearest-rank percentile in ms, NaN without samples. */
    static double millis(long[] micros, double percentile) {
        if (micros.length == 0) {
            return Double.NaN;
        }
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1000.0;
    }
}
