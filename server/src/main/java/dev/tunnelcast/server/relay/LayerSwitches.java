package dev.tunnelcast.server.relay;

import io.micrometer.core.instrument.Counter;

/** A stream's counters of players moved between simulcast layers, down and up (a probe). */
record LayerSwitches(Counter down, Counter up) {

    /** Counts a move from layer {@code before} to {@code after} (0 is the top), if it is one; returns whether it was. */
    boolean count(int before, int after) {
        if (before < 0 || before == after) {
            return false;
        }
        (after > before ? down : up).increment();
        return true;
    }
}
