package dev.tunnelcast.bench.codecs;

import java.util.Arrays;

/** The median of repeated samples with their range, so a report never quotes one sample alone. */
record Spread(double median, double min, double max, int samples) {

    static Spread of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Spread(median, v[0], v[n - 1], n);
    }

    /** Half the range: the error bar drawn around the median. */
    double halfRange() {
        return (max - min) / 2;
    }
}
