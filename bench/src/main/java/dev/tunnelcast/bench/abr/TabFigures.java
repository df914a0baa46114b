package dev.tunnelcast.bench.abr;

import java.util.Map;

/**
 * One tab's figures over a measured run: mean received bitrate, the share of the time its
 * picture was stalled and the episodes, pixel latency p50/p95 over every frame shown, what the
 * player counted (layer switches, relay drops, decode errors, reconnects, frames shown a
 * second), the share of seconds spent on each layer ("540p" → 75.0, in %), and the median of
 * its relay-clock offset estimate.
 */
record TabFigures(double receivedKbps, double stalledPercent, int stalls, double latencyP50Ms, double latencyP95Ms,
                  int latencySamples, long layerSwitches, long relayDrops, long decodeErrors, long reconnects,
                  double framesPerSecond, Map<String, Double> layerPercent, double clockOffsetMs) {

    /** The share of seconds on {@code layer} ("360p"), %; 0 when never. */
    double percentOn(String layer) {
        return layerPercent.getOrDefault(layer, 0.0);
    }
}
