package dev.tunnelcast.bench.abr;

/** One second of a run: the capped tab's link cap in force, and both tabs' figures. */
record AbrSecond(int second, double capKbps, TabSecond capped, TabSecond open) {}
