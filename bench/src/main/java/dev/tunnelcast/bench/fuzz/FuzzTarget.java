package dev.tunnelcast.bench.fuzz;

import java.util.List;

/**
 * One fuzz test method, the module whose test classpath runs it, what it covers, and the
 * classes Jazzer instruments for it ({@code --instrumentation_includes}/{@code _excludes}:
 * a class name, {@code pkg.*} or {@code pkg.**}).
 *
 * <p>Instrumented are the code under test and protobuf's decoder (where over-long varints and
 * bad lengths are read), not all of protobuf, not the generated message classes and not the
 * test's own harness: with {@code dev.tunnelcast.**:com.google.protobuf.**} every protobuf
 * call of the harness went through coverage counters and Jazzer's native compare hooks, and
 * relay-publisher ran 4-5 times fewer inputs per CPU second (see bench/README.md, Fuzzing).
 */
record FuzzTarget(String name, String module, String testClass, String method, String what, String includes,
                  String excludes) {

    /** protobuf-java's decoder for byte arrays, which the relay and the agent parse with. */
    private static final String PROTOBUF_DECODER = String.join(":", "com.google.protobuf.CodedInputStream",
            "com.google.protobuf.CodedInputStream$ArrayDecoder", "com.google.protobuf.CodedInputStream$ArrayDecoderOldVarint",
            "com.google.protobuf.CodedInputStream$ArrayDecoderNewVarintAllCases",
            "com.google.protobuf.CodedInputStream$ArrayDecoderNewVarintTagsLengthsOnly");
    private static final String RELAY = "dev.tunnelcast.server.**:dev.tunnelcast.wire.**:" + PROTOBUF_DECODER;
    private static final String RELAY_HARNESS = harness("dev.tunnelcast.server.transport", "FuzzRelay", "FuzzRelay$Client",
            "FuzzedEnvelopes", "FakeSocket", "NeverFiringScheduler", "NeverFiringScheduler$Pending",
            "PublisherSideFuzzTest", "PlayerSideFuzzTest");

    static final List<FuzzTarget> ALL = List.of(
            new FuzzTarget("relay-publisher", "server", "dev.tunnelcast.server.transport.PublisherSideFuzzTest",
                    "publisherMessages", "a publisher's message sequences through parse, validation, GOP cache and fan-out",
                    RELAY, RELAY_HARNESS),
            new FuzzTarget("relay-player", "server", "dev.tunnelcast.server.transport.PlayerSideFuzzTest",
                    "playerMessages", "a player's message sequences beside a live publisher and another player",
                    RELAY, RELAY_HARNESS),
            new FuzzTarget("archive-repair", "server", "dev.tunnelcast.server.archive.SegmentRepairFuzzTest",
                    "repairMutatedSegment", "crash recovery (Fmp4Layout, SegmentRepair, FFmpeg probe) on mutated segments",
                    "dev.tunnelcast.server.archive.**",
                    harness("dev.tunnelcast.server.archive", "SegmentRepairFuzzTest", "SegmentRepairFuzzTest$InMemoryTempDir",
                            "SegmentSeeds")),
            new FuzzTarget("agent-relay-messages", "capture-agent", "dev.tunnelcast.agent.publish.RelayMessagesFuzzTest",
                    "relayMessages", "the agent's receiving side: fragments, parsing, Welcome/Pong/Ping/KeyframeRequest/Status",
                    "dev.tunnelcast.agent.**:dev.tunnelcast.wire.**:" + PROTOBUF_DECODER,
                    harness("dev.tunnelcast.agent.publish", "RelayMessagesFuzzTest", "RelayMessagesFuzzTest$1",
                            "RelayMessagesFuzzTest$IdleWebSocket")));

    static FuzzTarget named(String name) {
        return ALL.stream().filter(t -> t.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no fuzz target " + name + "; targets: "
                        + ALL.stream().map(FuzzTarget::name).toList()));
    }

    /** The test's own classes, by exact name (Jazzer's globs have no {@code Fuzz*}). */
    private static String harness(String pkg, String... classes) {
        return String.join(":", java.util.Arrays.stream(classes).map(c -> pkg + "." + c).toList());
    }
}
