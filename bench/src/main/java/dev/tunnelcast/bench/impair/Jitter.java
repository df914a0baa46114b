package dev.tunnelcast.bench.impair;

import java.util.Random;

/**
 * Extra one-way delay drawn per chunk of bytes, on top of a link's fixed delay. The proxy
 * keeps TCP's order, so a chunk drawn late also holds back every chunk behind it
 * (head-of-line blocking): on a TCP link, jitter shows up as bursts, never as reordering.
 */
public sealed interface Jitter {

    /** A sample in ms, ≥ 0. */
    double sampleMs(Random random);

    /** What it is, for reports ("uniform 0-20 ms"). */
    String describe();

    static Jitter none() {
        return new None();
    }

    /** Uniform on [0, 2 × halfWidthMs]: with a fixed delay d the one-way delay is d ± halfWidthMs around d + halfWidthMs. */
    static Jitter uniform(double halfWidthMs) {
        return new Uniform(halfWidthMs);
    }

    /** |N(0, σ)|: mostly small, sometimes a few σ. */
    static Jitter normal(double sigmaMs) {
        return new Normal(sigmaMs);
    }

    /**
     * Pareto with scale {@code scaleMs} and shape {@code alpha} (smaller: heavier tail), minus
     * the scale so that the usual sample is near 0, capped at {@code capMs}: rare long bursts.
     */
    static Jitter heavyTail(double scaleMs, double alpha, double capMs) {
        return new HeavyTail(scaleMs, alpha, capMs);
    }

    record None() implements Jitter {
        @Override
        public double sampleMs(Random random) {
            return 0;
        }

        @Override
        public String describe() {
            return "none";
        }
    }

    record Uniform(double halfWidthMs) implements Jitter {
        public Uniform {
            if (!(halfWidthMs >= 0)) throw new IllegalArgumentException("uniform jitter half width must be ≥ 0 ms");
        }

        @Override
        public double sampleMs(Random random) {
            return random.nextDouble() * 2 * halfWidthMs;
        }

        @Override
        public String describe() {
            return String.format("uniform 0-%.0f ms", 2 * halfWidthMs);
        }
    }

    record Normal(double sigmaMs) implements Jitter {
        public Normal {
            if (!(sigmaMs >= 0)) throw new IllegalArgumentException("normal jitter sigma must be ≥ 0 ms");
        }

        @Override
        public double sampleMs(Random random) {
            return Math.abs(random.nextGaussian()) * sigmaMs;
        }

        @Override
        public String describe() {
            return String.format("|normal| σ %.0f ms", sigmaMs);
        }
    }

    record HeavyTail(double scaleMs, double alpha, double capMs) implements Jitter {
        public HeavyTail {
            if (!(scaleMs > 0 && alpha > 0 && capMs >= 0)) {
                throw new IllegalArgumentException("heavy-tail jitter needs scale > 0, alpha > 0, cap ≥ 0");
            }
        }

        @Override
        public double sampleMs(Random random) {
            double pareto = scaleMs / Math.pow(1 - random.nextDouble(), 1 / alpha);
            return Math.min(capMs, pareto - scaleMs);
        }

        @Override
        public String describe() {
            return String.format("Pareto scale %.0f ms α %.1f (cap %.0f ms)", scaleMs, alpha, capMs);
        }
    }
}
