package dev.tunnelcast.bench.report;

import java.util.Arrays;
import java.util.Locale;

/** The median of repeated runs and their range, as a report writes it: "42 (38–47)". NaN samples are left out. */
public record Spread(double median, double min, double max, int samples) {

    public static Spread of(double... values) {
        double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return new Spread(median, v[0], v[v.length - 1], v.length);
    }

    /** Half the range: an error bar around the median. */
    public double halfRange() {
        return samples == 0 ? 0 : (max - min) / 2;
    }

    /** "median (min–max)" with {@code format} for each figure ("%.0f"); "–" when there is none. */
    public String format(String format) {
        if (samples == 0) {
            return "–";
        }
        String m = String.format(Locale.ROOT, format, median);
        return samples == 1 ? m : m + " (" + String.format(Locale.ROOT, format, min) + "–" + String.format(Locale.ROOT, format, max) + ")";
    }
}
