package dev.tunnelcast.bench.uplink;

import java.util.List;

/**
 * One run of a scenario: every second, and the run's figures — mean received video bitrate,
 * video frames dropped, capture → arrival latency over every video packet (p50, p95, max),
 * the lowest and last encoder target.
 */
record UplinkRun(String scenario, boolean adaptive, int repeat, double receivedVideoKbps, long videoDropped,
                 double latencyP50Ms, double latencyP95Ms, double latencyMaxMs, double minEncoderKbps,
                 double lastEncoderKbps, double otherProcessesCores, String loadAverage, List<UplinkSecond> seconds) {}
