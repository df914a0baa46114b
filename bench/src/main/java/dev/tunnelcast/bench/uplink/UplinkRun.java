package dev.tunnelcast.bench.uplink;

import java.util.List;

/**
 * One run of a scenario: every second, and the run's figures — mean received video bitrate,
 * video frames dropped, capture → arrival latency over every video packet (p50, p95, max),
 * over the run's last third (once adaptation had time to act, or after the cap lifted), the
 * lowest and last encoder target.
 */
record UplinkRun(String scenario, boolean adaptive, int repeat, double receivedVideoKbps, long videoDropped,
                 double latencyP50Ms, double latencyP95Ms, double latencyMaxMs, double lastThirdLatencyP50Ms,
                 double lastThirdLatencyP95Ms, double minEncoderKbps,
                 double lastEncoderKbps, double otherProcessesCores, String loadAverage, List<UplinkSecond> seconds) {}
