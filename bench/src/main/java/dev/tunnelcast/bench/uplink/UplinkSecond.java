package dev.tunnelcast.bench.uplink;

/**
 * One second of an uplink run: the cap in force, what the agent sent (all tracks) and its
 * encoder's target, video frames it dropped in that second, its send queue and RTT, and what
 * a subscriber at the relay received: video bitrate and capture → arrival latency.
 */
record UplinkSecond(int second, double capKbps, double sentKbps, double encoderKbps, long videoDropped, double queueKiB,
                    double rttMs, double videoReceivedKbps, double latencyP50Ms, double latencyMaxMs, int videoPackets) {}
