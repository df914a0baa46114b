package dev.tunnelcast.bench.abr;

/**
 * One second of one tab: what its link carried to it (relay → player bytes through its proxy,
 * kbit/s), the layer it played at the second's end ({@code layer} "360p", height 360; "" and 0
 * on a stream without layers), the time its picture stood still (ms, in stall episodes of more
 * than {@value PageWatch#STALL_MS} ms), stall episodes begun, pixel latency p50 of the frames
 * shown in the second, and what the player counted in it: frames shown, layer switches, relay
 * drops, decode errors, reconnects. {@code clockOffsetMs} is the player's estimate of the relay
 * clock minus its own; {@code watchTicks} the page timer's ticks (≈ 50 unless it was starved).
 */
record TabSecond(int second, double receivedKbps, String layer, int layerHeight, double stalledMs, int stallsBegun,
                 double latencyP50Ms, int latencySamples, long framesShown, long layerSwitches, long relayDrops,
                 long decodeErrors, long reconnects, double clockOffsetMs, String state, int watchTicks) {}
