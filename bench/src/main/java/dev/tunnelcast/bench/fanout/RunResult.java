package dev.tunnelcast.bench.fanout;

/**
 * One measured run of one relay at one player count. Figures a relay cannot give (the Node
 * baseline has no heap, no histogram, no drop counter) are -1.
 *
 * @param relay                  which relay ({@link RelayKind#label})
 * @param loadAverage1m          /proc/loadavg (1 min) when the run started
 * @param deliveredPercent       packets received by healthy players / packets they should have got
 * @param latencyP50Micros       publisher send → player receive (same clock), all healthy players
 * @param relayOwnP99Micros      the relay's histogram (receive → write completed), bucket upper bound
 * @param relayAudioP99Micros    the same over audio messages only ({@code kind="audio"})
 * @param relayKeyframeP99Micros the same over keyframes only ({@code kind="keyframe"})
 * @param relayCpuPercentOfCore  relay process CPU over the window, 100 = one full core
 * @param benchCpuPercentOfCore  the harness JVM's CPU (the publisher, the measuring) over the window
 * @param playersCpuPercentOfCore the players' process's CPU (utime+stime from /proc) over the window
 * @param heapPerPlayerBytes     (relay heap after GC with the players − before them) / players
 * @param relayResidentBytes     relay RSS at the end of the window
 * @param relayDrops             video packets the relay dropped for players (its own counter)
 * @param relayCpuMicrosPerDelivered relay CPU over the window / messages delivered to healthy players in it
 * @param relaySyscallsPerDelivered   relay system calls over the window (perf) / the same messages; -1 without perf
 * @param relayKernelPercentOfCpu     the share of the relay's CPU spent in the kernel (stime / utime+stime)
 */
record RunResult(String relay, int players, int stalledPlayers, int repeat, double loadAverage1m, double windowSeconds,
                 long packetsSent, double deliveredPercent, long latencyP50Micros, long latencyP95Micros,
                 long latencyP99Micros, long latencyMaxMicros, long relayOwnP50Micros, long relayOwnP99Micros,
                 long relayAudioP99Micros, long relayKeyframeP99Micros,
                 double relayCpuPercentOfCore, double benchCpuPercentOfCore, double playersCpuPercentOfCore,
                 long heapPerPlayerBytes,
                 long relayHeapBytes, long relayResidentBytes, double relayDrops, String closeCodes,
                 double relayCpuMicrosPerDelivered, double relaySyscallsPerDelivered, double relayKernelPercentOfCpu) {

    /** A run whose players could not all connect: nothing delivered, nothing else measured. */
    static RunResult notConnected(String relay, int players, int stalledPlayers, int repeat, double loadAverage1m) {
        return new RunResult(relay, players, stalledPlayers, repeat, loadAverage1m, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1,
                -1, -1, -1, -1, -1, -1, -1, "{players did not all connect}", -1, -1, -1);
    }
}
