package dev.tunnelcast.bench.fuzz;

import java.util.List;

/** One fuzz test method, the module whose test classpath runs it, and what it covers. */
record FuzzTarget(String name, String module, String testClass, String method, String what) {

    static final List<FuzzTarget> ALL = List.of(
            new FuzzTarget("relay-publisher", "server", "dev.tunnelcast.server.transport.PublisherSideFuzzTest",
                    "publisherMessages", "a publisher's message sequences through parse, validation, GOP cache and fan-out"),
            new FuzzTarget("relay-player", "server", "dev.tunnelcast.server.transport.PlayerSideFuzzTest",
                    "playerMessages", "a player's message sequences beside a live publisher and another player"),
            new FuzzTarget("archive-repair", "server", "dev.tunnelcast.server.archive.SegmentRepairFuzzTest",
                    "repairMutatedSegment", "crash recovery (Fmp4Layout, SegmentRepair, FFmpeg probe) on mutated segments"),
            new FuzzTarget("agent-relay-messages", "capture-agent", "dev.tunnelcast.agent.publish.RelayMessagesFuzzTest",
                    "relayMessages", "the agent's receiving side: fragments, parsing, Welcome/Pong/Ping/KeyframeRequest/Status"));

    static FuzzTarget named(String name) {
        return ALL.stream().filter(t -> t.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no fuzz target " + name + "; targets: "
                        + ALL.stream().map(FuzzTarget::name).toList()));
    }
}
