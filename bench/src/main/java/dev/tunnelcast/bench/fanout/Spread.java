package dev.tunnelcast.bench.fanout;

import java.util.Arrays;
import java.util.Collection;
import java.util.function.ToDoubleFunction;

/** The median of repeated runs and their range; -1 marks "not measured" and is left out. */
record Spread(double median, double min, double max, int count) {

    static <T> Spread of(Collection<T> runs, ToDoubleFunction<T> figure) {
        double[] v = runs.stream().mapToDouble(figure).filter(x -> x >= 0).sorted().toArray();
        if (v.length == 0) return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return new Spread(median, v[0], v[v.length - 1], v.length);
    }

    static Spread of(double... values) {
        return of(Arrays.stream(values).boxed().toList(), Double::doubleValue);
    }

    boolean measured() { return count > 0; }

    /** "median (min–max)", the median alone for one run, "–" for none. */
    String format(String format) {
        if (count == 0) return "–";
        String m = String.format(format, median);
        return count == 1 ? m : m + " (" + String.format(format, min) + "–" + String.format(format, max) + ")";
    }
}
