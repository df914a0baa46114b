package dev.tunnelcast.bench.fanout;

/**
 * One measured run at one player count.
 *
 * @param deliveredPercent       packets received by healthy players / packets they should have got
 * @param latencyP50Micros       publisher send → player receive (same clock), all healthy players
 * @param relayOwnP99Micros      the relay's histogram (receive → write completed), bucket upper bound
 * @param relayCpuPercentOfCore  relay process CPU over the window, 100 = one full core
 * @param heapPerPlayerBytes     (relay heap after GC with the players − before them) / players
 * @param relayDrops             video packets the relay dropped for players (its own counter)
 */
record RunResult(int players, int stalledPlayers, int repeat, double windowSeconds, long packetsSent,
                 double deliveredPercent, long latencyP50Micros, long latencyP95Micros, long latencyP99Micros,
                 long latencyMaxMicros, long relayOwnP50Micros, long relayOwnP99Micros, double relayCpuPercentOfCore, double benchCpuPercentOfCore,
                 long heapPerPlayerBytes, long relayHeapBytes, long relayResidentBytes, double relayDrops,
                 String closeCodes) {}
