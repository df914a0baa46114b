package dev.tunnelcast.server;

import dev.tunnelcast.server.access.AccessConfig;
import dev.tunnelcast.server.archive.ArchiveConfig;
import dev.tunnelcast.server.clock.RelayClock;
import dev.tunnelcast.server.cluster.ClusterConfig;
import dev.tunnelcast.server.relay.LayerSettings;
import dev.tunnelcast.server.relay.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Every option of the relay, immutable. Defaults match {@code docs/protocol.md}; build one
 * with {@link #builder()}. Sizes are in bytes, durations are {@link Duration}s.
 *
 * @param bindAddress          the address both listeners bind to
 * @param port                 the plain HTTP/WS port (0: any free port); -1 disables it
 * @param tlsPort              the HTTPS/WSS port (0: any free port), used only when TLS is configured
 * @param tlsCertPem           a PEM certificate chain (with {@code tlsKeyPem}), or null
 * @param tlsKeyPem            the PEM private key of {@code tlsCertPem}, or null
 * @param tlsKeystore          a PKCS#12 keystore (alternative to the PEM pair), or null
 * @param tlsKeystorePassword  the keystore's password (may be empty)
 * @param tokenSecret          the HMAC secret for access tokens; null or empty: everyone is accepted
 * @param access               Origin allow-list, /metrics protection, TLS only (see {@link AccessConfig})
 * @param staticDir            a folder to serve the player from instead of the bundled one, or null
 * @param archive              what to record and where (see docs/recording.md), or null: no recording
 * @param headerTimeout        how long a connection may take to send a complete request header
 *                             (counted from its opening or its previous request)
 * @param maxPendingConnections WebSockets open without Hello, in all
 * @param maxPendingPerAddress WebSockets open without Hello, per client address
 * @param maxIdleConnections   HTTP connections without a request in progress, in all
 * @param maxIdlePerAddress    HTTP connections without a request in progress, per client address
 * @param playerWriteMerge     how long a player's first unsent message may wait for more to share its
 *                             write (fewer system calls per message, that much more latency); 0: none
 * @param maxRoomSize          members of one room: publishers of streams {@code room.participant} (4430 beyond)
 * @param cluster              the NATS cluster this node joins (docs/cluster.md), or null: a relay on its own
 */
public record RelayConfig(
        String bindAddress,
        int port,
        int tlsPort,
        Path tlsCertPem,
        Path tlsKeyPem,
        Path tlsKeystore,
        String tlsKeystorePassword,
        String tokenSecret,
        AccessConfig access,
        int maxMessageBytes,
        int maxStreams,
        int maxPlayersPerStream,
        int maxPlayers,
        long playerQueueBytes,
        int playerSocketSendBuffer,
        Duration playerQueueAge,
        Duration slowPlayerTimeout,
        Duration playerWriteMerge,
        Duration helloTimeout,
        Duration headerTimeout,
        Duration pingInterval,
        Duration pongTimeout,
        int maxPendingConnections,
        int maxPendingPerAddress,
        int maxIdleConnections,
        int maxIdlePerAddress,
        Duration gracePeriod,
        long gopCacheBytes,
        boolean allowTakeover,
        int maxRoomSize,
        LayerSettings layers,
        Path staticDir,
        int ioThreads,
        int workerThreads,
        RelayClock clock,
        List<StreamObserver> observers,
        ArchiveConfig archive,
        ClusterConfig cluster) {

    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_TLS_PORT = 8443;
    /** A write merge longer than this would be latency no live stream wants. */
    public static final Duration MAX_PLAYER_WRITE_MERGE = Duration.ofMillis(500);

    public RelayConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(layers, "layers");
        observers = List.copyOf(observers);
        if ((tlsCertPem == null) != (tlsKeyPem == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (tlsCertPem != null && tlsKeystore != null) {
            throw new IllegalArgumentException("give either a PEM certificate and key or a keystore, not both");
        }
        if (port < 0 && !tlsEnabledFor(tlsCertPem, tlsKeystore)) {
            throw new IllegalArgumentException("no listener: the plain port is disabled and TLS is not configured");
        }
        if (access.tlsOnly() && !tlsEnabledFor(tlsCertPem, tlsKeystore)) {
            throw new IllegalArgumentException("--tls-only needs TLS: --tls-cert and --tls-key, or --tls-keystore");
        }
        requirePositive("max-message-bytes", maxMessageBytes);
        requirePositive("max-streams", maxStreams);
        requirePositive("max-players-per-stream", maxPlayersPerStream);
        requirePositive("max-players", maxPlayers);
        requirePositive("player-queue-bytes", playerQueueBytes);
        if (playerSocketSendBuffer < 0) {
            throw new IllegalArgumentException("player-socket-buffer must be 0 (the OS default) or positive");
        }
        requirePositive("gop-cache-bytes", gopCacheBytes);
        requirePositive("max-room-size", maxRoomSize);
        requirePositive("max-pending-connections", maxPendingConnections);
        requirePositive("max-pending-per-address", maxPendingPerAddress);
        requirePositive("max-idle-connections", maxIdleConnections);
        requirePositive("max-idle-per-address", maxIdlePerAddress);
        requirePositive("io-threads", ioThreads);
        requirePositive("worker-threads", workerThreads);
        if (playerWriteMerge.isNegative() || playerWriteMerge.compareTo(MAX_PLAYER_WRITE_MERGE) > 0) {
            throw new IllegalArgumentException("--player-write-merge must be 0 (off) to " + MAX_PLAYER_WRITE_MERGE.toMillis() + " ms");
        }
        if (pingInterval.isNegative()) {
            throw new IllegalArgumentException("--ping-interval must be 0 (off) or positive");
        }
        for (Duration d : List.of(playerQueueAge, slowPlayerTimeout, helloTimeout, headerTimeout, pongTimeout, gracePeriod)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive: " + d);
            }
        }
    }

    public boolean tlsEnabled() {
        return tlsEnabledFor(tlsCertPem, tlsKeystore);
    }

    /** Where the plain listener binds: loopback only with {@code --tls-only}. */
    public String plainBindAddress() {
        return access.tlsOnly() ? "127.0.0.1" : bindAddress;
    }

    public boolean tokensRequired() {
        return tokenSecret != null && !tokenSecret.isEmpty();
    }

    private static boolean tlsEnabledFor(Path cert, Path keystore) {
        return cert != null || keystore != null;
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("--" + name + " must be positive, was " + value);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.bindAddress = bindAddress;
        b.port = port;
        b.tlsPort = tlsPort;
        b.tlsCertPem = tlsCertPem;
        b.tlsKeyPem = tlsKeyPem;
        b.tlsKeystore = tlsKeystore;
        b.tlsKeystorePassword = tlsKeystorePassword;
        b.tokenSecret = tokenSecret;
        b.access = access;
        b.maxMessageBytes = maxMessageBytes;
        b.maxStreams = maxStreams;
        b.maxPlayersPerStream = maxPlayersPerStream;
        b.maxPlayers = maxPlayers;
        b.playerQueueBytes = playerQueueBytes;
        b.playerSocketSendBuffer = playerSocketSendBuffer;
        b.playerQueueAge = playerQueueAge;
        b.slowPlayerTimeout = slowPlayerTimeout;
        b.playerWriteMerge = playerWriteMerge;
        b.helloTimeout = helloTimeout;
        b.headerTimeout = headerTimeout;
        b.pingInterval = pingInterval;
        b.pongTimeout = pongTimeout;
        b.maxPendingConnections = maxPendingConnections;
        b.maxPendingPerAddress = maxPendingPerAddress;
        b.maxIdleConnections = maxIdleConnections;
        b.maxIdlePerAddress = maxIdlePerAddress;
        b.gracePeriod = gracePeriod;
        b.gopCacheBytes = gopCacheBytes;
        b.allowTakeover = allowTakeover;
        b.maxRoomSize = maxRoomSize;
        b.layers = layers;
        b.staticDir = staticDir;
        b.ioThreads = ioThreads;
        b.workerThreads = workerThreads;
        b.clock = clock;
        b.observers = observers;
        b.archive = archive;
        b.cluster = cluster;
        return b;
    }

    /** A mutable builder pre-filled with the documented defaults. */
    public static final class Builder {
        private String bindAddress = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private int tlsPort = DEFAULT_TLS_PORT;
        private Path tlsCertPem;
        private Path tlsKeyPem;
        private Path tlsKeystore;
        private String tlsKeystorePassword = "";
        private String tokenSecret;
        private AccessConfig access = AccessConfig.defaults();
        private int maxMessageBytes = 4 * 1024 * 1024;
        private int maxStreams = 1000;
        private int maxPlayersPerStream = 5000;
        private int maxPlayers = 20000;
        private long playerQueueBytes = 8L * 1024 * 1024;
        private int playerSocketSendBuffer = 128 * 1024;
        private Duration playerQueueAge = Duration.ofSeconds(2);
        private Duration slowPlayerTimeout = Duration.ofSeconds(10);
        private Duration playerWriteMerge = Duration.ZERO;
        private Duration helloTimeout = Duration.ofSeconds(5);
        private Duration headerTimeout = Duration.ofSeconds(10);
        private Duration pingInterval = Duration.ofSeconds(10);
        private Duration pongTimeout = Duration.ofSeconds(10);
        private int maxPendingConnections = 1000;
        private int maxPendingPerAddress = 50;
        private int maxIdleConnections = 1000;
        private int maxIdlePerAddress = 50;
        private Duration gracePeriod = Duration.ofSeconds(15);
        private long gopCacheBytes = 8L * 1024 * 1024;
        private boolean allowTakeover;
        private int maxRoomSize = 8;
        private LayerSettings layers = LayerSettings.DEFAULTS;
        private Path staticDir;
        private int ioThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        private int workerThreads = 4;
        private RelayClock clock = RelayClock.system();
        private List<StreamObserver> observers = List.of();
        private ArchiveConfig archive;
        private ClusterConfig cluster;

        private Builder() {}

        public Builder bindAddress(String v) { bindAddress = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder tlsPort(int v) { tlsPort = v; return this; }
        public Builder tlsPem(Path cert, Path key) { tlsCertPem = cert; tlsKeyPem = key; return this; }
        public Builder tlsKeystore(Path keystore, String password) {
            tlsKeystore = keystore;
            tlsKeystorePassword = password == null ? "" : password;
            return this;
        }
        public Builder tokenSecret(String v) { tokenSecret = v; return this; }
        public Builder access(AccessConfig v) { access = v; return this; }
        public Builder maxMessageBytes(int v) { maxMessageBytes = v; return this; }
        public Builder maxStreams(int v) { maxStreams = v; return this; }
        public Builder maxPlayersPerStream(int v) { maxPlayersPerStream = v; return this; }
        public Builder maxPlayers(int v) { maxPlayers = v; return this; }
        public Builder playerQueueBytes(long v) { playerQueueBytes = v; return this; }
        public Builder playerSocketSendBuffer(int v) { playerSocketSendBuffer = v; return this; }
        public Builder playerQueueAge(Duration v) { playerQueueAge = v; return this; }
        public Builder slowPlayerTimeout(Duration v) { slowPlayerTimeout = v; return this; }
        public Builder playerWriteMerge(Duration v) { playerWriteMerge = v; return this; }
        public Builder helloTimeout(Duration v) { helloTimeout = v; return this; }
        public Builder headerTimeout(Duration v) { headerTimeout = v; return this; }
        public Builder pingInterval(Duration v) { pingInterval = v; return this; }
        public Builder pongTimeout(Duration v) { pongTimeout = v; return this; }
        public Builder maxPendingConnections(int v) { maxPendingConnections = v; return this; }
        public Builder maxPendingPerAddress(int v) { maxPendingPerAddress = v; return this; }
        public Builder maxIdleConnections(int v) { maxIdleConnections = v; return this; }
        public Builder maxIdlePerAddress(int v) { maxIdlePerAddress = v; return this; }
        public Builder gracePeriod(Duration v) { gracePeriod = v; return this; }
        public Builder gopCacheBytes(long v) { gopCacheBytes = v; return this; }
        public Builder allowTakeover(boolean v) { allowTakeover = v; return this; }
        public Builder maxRoomSize(int v) { maxRoomSize = v; return this; }
        public Builder layers(LayerSettings v) { layers = v; return this; }
        public Builder staticDir(Path v) { staticDir = v; return this; }
        public Builder ioThreads(int v) { ioThreads = v; return this; }
        public Builder workerThreads(int v) { workerThreads = v; return this; }
        public Builder clock(RelayClock v) { clock = v; return this; }
        public Builder observers(List<StreamObserver> v) { observers = v; return this; }
        public Builder archive(ArchiveConfig v) { archive = v; return this; }
        public Builder cluster(ClusterConfig v) { cluster = v; return this; }

        public RelayConfig build() {
            return new RelayConfig(bindAddress, port, tlsPort, tlsCertPem, tlsKeyPem, tlsKeystore,
                    tlsKeystorePassword, tokenSecret, access, maxMessageBytes, maxStreams, maxPlayersPerStream,
                    maxPlayers, playerQueueBytes, playerSocketSendBuffer, playerQueueAge, slowPlayerTimeout, playerWriteMerge,
                    helloTimeout, headerTimeout, pingInterval, pongTimeout, maxPendingConnections, maxPendingPerAddress,
                    maxIdleConnections, maxIdlePerAddress,
                    gracePeriod, gopCacheBytes,
                    allowTakeover, maxRoomSize, layers, staticDir, ioThreads, workerThreads,
                    clock, observers, archive, cluster);
        }
    }
}
