package dev.tunnelcast.bench.fanout;

import dev.tunnelcast.bench.harness.RelayProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The relays this benchmark can put side by side, and how each is started. */
enum RelayKind {
    /** Ours: the shaded relay jar in its own JVM (-Xmx1g). */
    TUNNELCAST("tunnelcast") {
        @Override
        BenchRelay start(Path relayJar, Path log) throws Exception {
            return startTunnelcast(relayJar, log, SWARM_FROM_ONE_ADDRESS);
        }
    },
    /**
     * Ours with {@code --player-write-merge 20ms}: what the relay's CPU per message and its
     * latency become when a player's writes wait up to 20 ms for each other.
     */
    TUNNELCAST_MERGE_20MS("tunnelcast-merge20ms") {
        @Override
        BenchRelay start(Path relayJar, Path log) throws Exception {
            List<String> args = new ArrayList<>(SWARM_FROM_ONE_ADDRESS);
            args.addAll(List.of("--player-write-merge", "20ms"));
            return startTunnelcast(relayJar, log, args);
        }
    },
    /** The baseline: bench/node-relay/relay.js, a JSMpeg-style Node ws broadcast relay. */
    NODE_WS("node-ws") {
        @Override
        BenchRelay start(Path relayJar, Path log) throws Exception {
            return new NodeWsRelay(Path.of("bench", "node-relay"), log);
        }
    };

    private static BenchRelay startTunnelcast(Path relayJar, Path log, List<String> relayArgs) throws Exception {
        RelayProcess relay = new RelayProcess(relayJar, log, List.of(), relayArgs);
        return new BenchRelay() {
            @Override public int port() { return relay.port(); }
            @Override public long pid() { return relay.pid(); }
            @Override public boolean sendsWelcome() { return true; }
            @Override public double cpuSeconds() throws java.io.IOException { return relay.cpuSeconds(); }
            @Override public long residentBytes() throws java.io.IOException { return relay.residentBytes(); }
            @Override public long heapUsedAfterGcBytes() throws Exception { return relay.heapUsedAfterGcBytes(); }
            @Override public String metrics() throws Exception { return relay.metrics(); }
            @Override public void close() throws InterruptedException { relay.close(); }
        };
    }

    /**
     * Every player of the swarm comes from 127.0.0.1 and connects at once: the per-address
     * bounds on connections in their handshake (50 by default, against floods from one host)
     * would refuse all but the first few dozen.
     */
    private static final List<String> SWARM_FROM_ONE_ADDRESS = List.of(
            "--max-pending-connections", "10000", "--max-pending-per-address", "10000",
            "--max-idle-connections", "10000", "--max-idle-per-address", "10000");

    final String label;

    RelayKind(String label) {
        this.label = label;
    }

    abstract BenchRelay start(Path relayJar, Path log) throws Exception;

    static RelayKind byLabel(String label) {
        for (RelayKind k : values()) {
            if (k.label.equals(label)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown relay '" + label + "' (tunnelcast, tunnelcast-merge20ms or node-ws)");
    }
}
