package dev.tunnelcast.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The few reads of the Prometheus text format the benchmark needs. */
public final class PrometheusText {
    private PrometheusText() {}

    /** Sums every sample of a metric (all label sets); 0 when absent. */
    public static double sum(String exposition, String name) {
        double sum = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** Cumulative bucket counts of a histogram, by upper bound ({@code le}), summed over its label sets. */
    public static TreeMap<Double, Double> buckets(String exposition, String histogram) {
        return buckets(exposition, histogram, "");
    }

    /**
     * As {@link #buckets(String, String)}, over the label sets that hold {@code label} (such as
     * {@code kind="audio"}; "" for all).
     */
    public static TreeMap<Double, Double> buckets(String exposition, String histogram, String label) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        String prefix = histogram + "_bucket{";
        for (String line : exposition.split("\n")) {
            if (!line.startsWith(prefix) || !line.contains(label)) continue;
            int le = line.indexOf("le=\"");
            String bound = line.substring(le + 4, line.indexOf('"', le + 4));
            double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
            buckets.merge(upper, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
        }
        return buckets;
    }

    /**
     * The upper bound of the bucket holding the given percentile of what was observed
     * between two scrapes (so an upper estimate, at the histogram's resolution).
     */
    public static double percentileBetween(TreeMap<Double, Double> before, TreeMap<Double, Double> after, double percentile) {
        List<Map.Entry<Double, Double>> deltas = new ArrayList<>();
        for (Map.Entry<Double, Double> e : after.entrySet()) {
            deltas.add(Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)));
        }
        if (deltas.isEmpty()) return Double.NaN;
        double total = deltas.get(deltas.size() - 1).getValue();
        for (Map.Entry<Double, Double> e : deltas) {
            if (e.getValue() >= total * percentile / 100) return e.getKey();
        }
        return Double.NaN;
    }
}
