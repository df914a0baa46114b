package dev.tunnelcast.bench.report;

import java.util.Arrays;
import java.util.Locale;

/** The median of repeated runs and their range: how every figure in a report is quoted. */
public record Spread(double median, double min, double max, int runs) {

    public static Spread of(double... values) {
        double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Spread(median, v[0], v[n - 1], n);
    }

    /** Half the range, for symmetric error bars around the median. */
    public double halfRange() {
        return (max - min) / 2;
    }

    /** "87 (85–92)" with the given decimals; just the value for a single run; "—" for none. */
    public String format(int decimals) {
        if (runs == 0) {
            return "—";
        }
        String f = "%." + decimals + "f";
        String median = String.format(Locale.ROOT, f, this.median);
        if (runs == 1 || min == max) {
            return median;
        }
        return median + String.format(Locale.ROOT, " (" + f + "–" + f + ")", min, max);
    }
}
