package dev.tunnelcast.server.relay;

import java.time.Duration;

/**
 * When the relay moves a player between the layers of a simulcast track (docs/protocol.md,
 * "Simulcast"): down when the oldest message queued for it is older than {@code downDelay},
 * up once its queue has stayed under {@code upDelay} for {@code probeAfter} and then carried
 * padding at the upper layer's rate for {@code probeLength} (a probe); a probe fails when the
 * queue backs up or when the path's queuing delay, timed by the relay's Pings, grows past
 * {@code probeDelayRise}; a probe that fails doubles that wait, up to {@code maxProbeAfter}.
 */
public record LayerSettings(Duration downDelay, Duration upDelay, Duration probeAfter, Duration maxProbeAfter,
                            Duration probeLength, Duration probeDelayRise) {

    public static final LayerSettings DEFAULTS = new LayerSettings(Duration.ofMillis(500), Duration.ofMillis(100),
            Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofMillis(30));

    public LayerSettings {
        for (Duration d : new Duration[] {downDelay, upDelay, probeAfter, maxProbeAfter, probeLength, probeDelayRise}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("layer durations must be positive: " + d);
            }
        }
        if (upDelay.compareTo(downDelay) >= 0) {
            throw new IllegalArgumentException("--layer-up-delay (" + upDelay.toMillis()
                    + " ms) must be shorter than --layer-down-delay (" + downDelay.toMillis() + " ms)");
        }
        if (maxProbeAfter.compareTo(probeAfter) < 0) {
            throw new IllegalArgumentException("--layer-probe-max must be at least --layer-probe-after");
        }
    }

    /** These settings with another {@code maxProbeAfter}. */
    public LayerSettings withMaxProbeAfter(Duration max) {
        return new LayerSettings(downDelay, upDelay, probeAfter, max, probeLength, probeDelayRise);
    }
}
