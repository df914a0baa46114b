package dev.tunnelcast.server.relay;

import io.micrometer.core.instrument.Counter;

/**
 * A stream's counters of players moved between simulcast layers, down and up, and of the
 * padding probes that tried whether a player's link carries the layer above: carried (the
 * player goes up), failed, or skipped (its keyframe trains measured the link too slow).
 */
record LayerSwitches(Counter down, Counter up, Counter probesCarried, Counter probesFailed, Counter probesSkipped) {

    /** Counts a move from layer {@code before} to {@code after} (0 is the top), if it is one; returns whether it was. */
    boolean count(int before, int after) {
        if (before < 0 || before == after) {
            return false;
        }
        (after > before ? down : up).increment();
        return true;
    }

    void probeEnded(LayerPolicy.ProbeOutcome outcome) {
        if (outcome == LayerPolicy.ProbeOutcome.CARRIED) {
            probesCarried.increment();
        } else if (outcome == LayerPolicy.ProbeOutcome.FAILED) {
            probesFailed.increment();
        } else if (outcome == LayerPolicy.ProbeOutcome.SKIPPED) {
            probesSkipped.increment();
        }
    }
}
