package dev.tunnelcast.server.cli;

import dev.tunnelcast.server.Relay;
import dev.tunnelcast.server.RelayConfig;
import dev.tunnelcast.server.access.AccessConfig;
import dev.tunnelcast.server.archive.ArchiveConfig;
import dev.tunnelcast.server.archive.FsyncPolicy;
import dev.tunnelcast.server.cluster.ClusterConfig;
import dev.tunnelcast.server.relay.LayerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve}: runs the relay until interrupted. Every option also reads an environment variable. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the relay: WebSocket publish/play endpoints, the web player, /api/streams, /healthz, /metrics.",
                "Every option can also be set with the environment variable shown in brackets."},
        footer = {"", dev.tunnelcast.wire.Units.HELP_SIZES, dev.tunnelcast.wire.Units.HELP_RATES_AND_DURATIONS})
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "${env:TUNNELCAST_BIND:-0.0.0.0}",
            description = "Address to listen on [TUNNELCAST_BIND] (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--port", defaultValue = "${env:TUNNELCAST_PORT:-8080}",
            description = "Plain HTTP/WS port; 0 picks a free one, -1 disables it [TUNNELCAST_PORT] (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--tls-port", defaultValue = "${env:TUNNELCAST_TLS_PORT:-8443}",
            description = "HTTPS/WSS port, used when a certificate or keystore is given [TUNNELCAST_TLS_PORT] (default: ${DEFAULT-VALUE}).")
    int tlsPort;

    @Option(names = "--tls-cert", paramLabel = "PEM", defaultValue = "${env:TUNNELCAST_TLS_CERT}",
            description = "PEM certificate chain for the TLS listener [TUNNELCAST_TLS_CERT].")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", defaultValue = "${env:TUNNELCAST_TLS_KEY}",
            description = "Unencrypted PEM private key of --tls-cert [TUNNELCAST_TLS_KEY].")
    Path tlsKey;

    @Option(names = "--tls-keystore", paramLabel = "P12", defaultValue = "${env:TUNNELCAST_TLS_KEYSTORE}",
            description = "PKCS#12 keystore instead of --tls-cert/--tls-key [TUNNELCAST_TLS_KEYSTORE].")
    Path tlsKeystore;

    @Option(names = "--tls-keystore-password", paramLabel = "PASSWORD", defaultValue = "${env:TUNNELCAST_TLS_KEYSTORE_PASSWORD:-}",
            description = "Password of --tls-keystore [TUNNELCAST_TLS_KEYSTORE_PASSWORD].")
    String tlsKeystorePassword;

    @Option(names = "--token-secret", paramLabel = "SECRET", defaultValue = "${env:TUNNELCAST_TOKEN_SECRET}",
            description = "HMAC secret for access tokens; without it everyone may publish and play [TUNNELCAST_TOKEN_SECRET]."
                    + " Prefer the environment variable: command lines are visible to other users.")
    String tokenSecret;

    // Access beyond stream tokens (docs/protocol.md, "HTTP access rules"), grouped in AccessConfig.
    @Option(names = "--allowed-origins", paramLabel = "ORIGINS", defaultValue = "${env:TUNNELCAST_ALLOWED_ORIGINS:-self}",
            description = "Comma-separated web origins whose pages may open WebSockets: https://app.example.com, 'self' (the"
                    + " relay's own), '*' (any). Others get 403 [TUNNELCAST_ALLOWED_ORIGINS] (default: ${DEFAULT-VALUE}).")
    String allowedOrigins;

    @Option(names = "--metrics-token", paramLabel = "TOKEN", defaultValue = "${env:TUNNELCAST_METRICS_TOKEN}",
            description = "Bearer token /metrics requires (Prometheus: authorization.credentials_file) [TUNNELCAST_METRICS_TOKEN]."
                    + " Prefer the environment variable: command lines are visible to other users.")
    String metricsToken;

    @Option(names = "--metrics-bind", paramLabel = "HOST:PORT", defaultValue = "${env:TUNNELCAST_METRICS_BIND}",
            description = "Serve /metrics (and /healthz) on this separate listener only, e.g. 127.0.0.1:9100 [TUNNELCAST_METRICS_BIND].")
    String metricsBind;

    @Option(names = "--tls-only", negatable = true, defaultValue = "${env:TUNNELCAST_TLS_ONLY:-false}", fallbackValue = "true",
            description = "With TLS: the plain listener serves loopback only (--port -1 turns it off) [TUNNELCAST_TLS_ONLY].")
    boolean tlsOnly;

    @Option(names = "--max-message-bytes", paramLabel = "SIZE", converter = Units.Bytes.class,
            defaultValue = "${env:TUNNELCAST_MAX_MESSAGE_BYTES:-4MiB}",
            description = "Largest accepted message, else close 4413 [TUNNELCAST_MAX_MESSAGE_BYTES] (default: ${DEFAULT-VALUE}).")
    long maxMessageBytes;

    @Option(names = "--max-streams", defaultValue = "${env:TUNNELCAST_MAX_STREAMS:-1000}",
            description = "Streams with a publisher at once, else close 4429 [TUNNELCAST_MAX_STREAMS] (default: ${DEFAULT-VALUE}).")
    int maxStreams;

    @Option(names = "--max-players-per-stream", defaultValue = "${env:TUNNELCAST_MAX_PLAYERS_PER_STREAM:-5000}",
            description = "Players of one stream, else close 4429 [TUNNELCAST_MAX_PLAYERS_PER_STREAM] (default: ${DEFAULT-VALUE}).")
    int maxPlayersPerStream;

    @Option(names = "--max-players", defaultValue = "${env:TUNNELCAST_MAX_PLAYERS:-20000}",
            description = "Players in all, else close 4429 [TUNNELCAST_MAX_PLAYERS] (default: ${DEFAULT-VALUE}).")
    int maxPlayers;

    @Option(names = "--player-queue-bytes", paramLabel = "SIZE", converter = Units.Bytes.class,
            defaultValue = "${env:TUNNELCAST_PLAYER_QUEUE_BYTES:-8MiB}",
            description = "A player's queue bound in bytes [TUNNELCAST_PLAYER_QUEUE_BYTES] (default: ${DEFAULT-VALUE}).")
    long playerQueueBytes;

    @Option(names = "--player-socket-buffer", paramLabel = "SIZE", converter = Units.Bytes.class,
            defaultValue = "${env:TUNNELCAST_PLAYER_SOCKET_BUFFER:-128KiB}",
            description = "Kernel send buffer (SO_SNDBUF) of each player's socket; small, so a slow player's backlog "
                    + "builds in the relay's queue, where the drop policy sees it, not in the kernel; 0 = the OS "
                    + "default [TUNNELCAST_PLAYER_SOCKET_BUFFER] (default: ${DEFAULT-VALUE}).")
    long playerSocketBuffer;

    @Option(names = "--player-queue-age", paramLabel = "DURATION", converter = Units.Time.class,
            defaultValue = "${env:TUNNELCAST_PLAYER_QUEUE_AGE:-2s}",
            description = "A player's queue bound in age of the oldest message [TUNNELCAST_PLAYER_QUEUE_AGE] (default: ${DEFAULT-VALUE}).")
    Duration playerQueueAge;

    @Option(names = "--slow-player-timeout", paramLabel = "DURATION", converter = Units.Time.class,
            defaultValue = "${env:TUNNELCAST_SLOW_PLAYER_TIMEOUT:-10s}",
            description = "How long a player may stay behind before close 4408 [TUNNELCAST_SLOW_PLAYER_TIMEOUT] (default: ${DEFAULT-VALUE}).")
    Duration slowPlayerTimeout;

    @Option(names = "--hello-timeout", paramLabel = "DURATION", converter = Units.Time.class,
            defaultValue = "${env:TUNNELCAST_HELLO_TIMEOUT:-5s}",
            description = "How long a client may take to send Hello, else close 4400 [TUNNELCAST_HELLO_TIMEOUT] (default: ${DEFAULT-VALUE}).")
    Duration helloTimeout;

    @Option(names = "--player-write-merge", paramLabel = "DURATION", converter = Units.Time.class,
            defaultValue = "${env:TUNNELCAST_PLAYER_WRITE_MERGE:-0ms}",
            description = "How long a player's first unsent message may wait for more to go out in the same write: "
                    + "fewer system calls per message for that much more latency (docs/protocol.md, \"Writes\"); 0 = written at once "
                    + "[TUNNELCAST_PLAYER_WRITE_MERGE] (default: ${DEFAULT-VALUE}).")
    Duration playerWriteMerge;

    @Option(names = "--ping-interval", paramLabel = "DURATION", converter = Units.Time.class,
            defaultValue = "${env:TUNNELCAST_PING_INTERVAL:-10s}",
            description = "A WebSocket client that has sent nothing for this long is sent a ping; 0 = never "
                    + "[TUNNELCAST_PING_INTERVAL] (default: ${DEFAULT-VALUE}).")
    Duration pingInterval;

    @Option(names = "--pong-timeout", paramLabel = "DURATION", converter = Units.Time.class,
            defaultValue = "${env:TUNNELCAST_PONG_TIMEOUT:-10s}",
            description = "How long a pinged client may take to answer (or send anything), else close 4431 "
                    + "[TUNNELCAST_PONG_TIMEOUT] (default: ${DEFAULT-VALUE}).")
    Duration pongTimeout;

    @Option(names = "--header-timeout", paramLabel = "DURATION", converter = Units.Time.class,
            defaultValue = "${env:TUNNELCAST_HEADER_TIMEOUT:-10s}",
            description = "How long a connection may take to send a complete request header, from its opening or its previous request, else it is closed [TUNNELCAST_HEADER_TIMEOUT] (default: ${DEFAULT-VALUE}).")
    Duration headerTimeout;

    @Option(names = "--max-pending-connections", defaultValue = "${env:TUNNELCAST_MAX_PENDING_CONNECTIONS:-1000}",
            description = "WebSockets open without Hello at once, else close 4429 [TUNNELCAST_MAX_PENDING_CONNECTIONS] (default: ${DEFAULT-VALUE}).")
    int maxPendingConnections;

    @Option(names = "--max-pending-per-address", defaultValue = "${env:TUNNELCAST_MAX_PENDING_PER_ADDRESS:-50}",
            description = "WebSockets open without Hello at once from one client address, else close 4429 [TUNNELCAST_MAX_PENDING_PER_ADDRESS] (default: ${DEFAULT-VALUE}).")
    int maxPendingPerAddress;

    @Option(names = "--max-idle-connections", defaultValue = "${env:TUNNELCAST_MAX_IDLE_CONNECTIONS:-1000}",
            description = "HTTP connections without a request in progress at once (new, sending a request header, kept alive); "
                    + "over it a new connection replaces the oldest kept-alive one, else is closed "
                    + "[TUNNELCAST_MAX_IDLE_CONNECTIONS] (default: ${DEFAULT-VALUE}).")
    int maxIdleConnections;

    @Option(names = "--max-idle-per-address", defaultValue = "${env:TUNNELCAST_MAX_IDLE_PER_ADDRESS:-50}",
            description = "The same from one client address [TUNNELCAST_MAX_IDLE_PER_ADDRESS] (default: ${DEFAULT-VALUE}).")
    int maxIdlePerAddress;

    @Option(names = "--grace-period", paramLabel = "DURATION", converter = Units.Time.class,
            defaultValue = "${env:TUNNELCAST_GRACE_PERIOD:-15s}",
            description = "How long players wait for a publisher to return, then close 4410 [TUNNELCAST_GRACE_PERIOD] (default: ${DEFAULT-VALUE}).")
    Duration gracePeriod;

    @Option(names = "--gop-cache-bytes", paramLabel = "SIZE", converter = Units.Bytes.class,
            defaultValue = "${env:TUNNELCAST_GOP_CACHE_BYTES:-8MiB}",
            description = "Largest GOP kept per stream for joining players [TUNNELCAST_GOP_CACHE_BYTES] (default: ${DEFAULT-VALUE}).")
    long gopCacheBytes;

    @Option(names = "--allow-takeover", negatable = true, defaultValue = "${env:TUNNELCAST_ALLOW_TAKEOVER:-false}", fallbackValue = "true",
            description = "A second publisher replaces the first (4411) instead of being refused (4409) [TUNNELCAST_ALLOW_TAKEOVER].")
    boolean allowTakeover;

    @Option(names = "--max-room-size", defaultValue = "${env:TUNNELCAST_MAX_ROOM_SIZE:-8}",
            description = "Members of one room (publishers of streams ROOM.PARTICIPANT), else close 4430 [TUNNELCAST_MAX_ROOM_SIZE] (default: ${DEFAULT-VALUE}).")
    int maxRoomSize;

    @Option(names = "--layer-down-delay", paramLabel = "DURATION", converter = Units.Time.class,
            defaultValue = "${env:TUNNELCAST_LAYER_DOWN_DELAY:-500ms}",
            description = "Simulcast: a player whose oldest queued message is older than this moves down at its next "
                    + "keyframe, to the highest layer its measured link rate carries [TUNNELCAST_LAYER_DOWN_DELAY] "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration layerDownDelay;

    @Option(names = "--layer-up-delay", paramLabel = "DURATION", converter = Units.Time.class,
            defaultValue = "${env:TUNNELCAST_LAYER_UP_DELAY:-100ms}",
            description = "Simulcast: a player's queue counts as short while its oldest message is younger than this "
                    + "[TUNNELCAST_LAYER_UP_DELAY] (default: ${DEFAULT-VALUE}).")
    Duration layerUpDelay;

    @Option(names = "--layer-probe-after", paramLabel = "DURATION", converter = Units.Time.class,
            defaultValue = "${env:TUNNELCAST_LAYER_PROBE_AFTER:-5s}",
            description = "Simulcast: a player whose queue stayed short this long tries the layer above "
                    + "[TUNNELCAST_LAYER_PROBE_AFTER] (default: ${DEFAULT-VALUE}).")
    Duration layerProbeAfter;

    @Option(names = "--layer-probe-max", paramLabel = "DURATION", converter = Units.Time.class,
            defaultValue = "${env:TUNNELCAST_LAYER_PROBE_MAX:-60s}",
            description = "Simulcast: each failed try doubles the wait before the next, up to this "
                    + "[TUNNELCAST_LAYER_PROBE_MAX] (default: ${DEFAULT-VALUE}).")
    Duration layerProbeMax;

    @Option(names = "--layer-probe-length", paramLabel = "DURATION", converter = Units.Time.class,
            defaultValue = "${env:TUNNELCAST_LAYER_PROBE_LENGTH:-1s}",
            description = "Simulcast: how long a player's link must carry padding up to the rate of the layer above before it "
                    + "goes up [TUNNELCAST_LAYER_PROBE_LENGTH] (default: ${DEFAULT-VALUE}).")
    Duration layerProbeLength;

    @Option(names = "--layer-probe-delay-rise", paramLabel = "DURATION", converter = Units.Time.class,
            defaultValue = "${env:TUNNELCAST_LAYER_PROBE_DELAY_RISE:-30ms}",
            description = "Simulcast: a padding probe fails when the player's path queues the relay's pings this much longer "
                    + "than its base round trip, growing, twice in a row [TUNNELCAST_LAYER_PROBE_DELAY_RISE] "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration layerProbeDelayRise;

    @Option(names = "--static-dir", paramLabel = "DIR", defaultValue = "${env:TUNNELCAST_STATIC_DIR}",
            description = "Serve the web player from this folder instead of the bundled one [TUNNELCAST_STATIC_DIR].")
    Path staticDir;

    @Option(names = "--io-threads", defaultValue = "${env:TUNNELCAST_IO_THREADS:-0}",
            description = "Undertow I/O threads; 0: one per core, at least 2 [TUNNELCAST_IO_THREADS].")
    int ioThreads;

    @Option(names = "--worker-threads", defaultValue = "${env:TUNNELCAST_WORKER_THREADS:-4}",
            description = "Threads for the HTTP API and /metrics (WebSockets stay on I/O threads) [TUNNELCAST_WORKER_THREADS] (default: ${DEFAULT-VALUE}).")
    int workerThreads;

    @Option(names = "--record-dir", paramLabel = "DIR", defaultValue = "${env:TUNNELCAST_RECORD_DIR}",
            description = "Record streams into this folder (fragmented MP4 segments + index); turns recording on [TUNNELCAST_RECORD_DIR].")
    Path recordDir;

    @Option(names = "--record-streams", paramLabel = "GLOB", defaultValue = "${env:TUNNELCAST_RECORD_STREAMS:-*}",
            description = "Which streams --record-dir records: a glob like 'cam-*' [TUNNELCAST_RECORD_STREAMS] (default: ${DEFAULT-VALUE}).")
    String recordStreams;

    @Option(names = "--record-segment", paramLabel = "DURATION", converter = Units.Time.class,
            defaultValue = "${env:TUNNELCAST_RECORD_SEGMENT:-10m}",
            description = "Start a new segment at the first keyframe after this long [TUNNELCAST_RECORD_SEGMENT] (default: ${DEFAULT-VALUE}).")
    Duration recordSegment;

    @Option(names = "--record-max-age", paramLabel = "DURATION", converter = Units.Time.class,
            defaultValue = "${env:TUNNELCAST_RECORD_MAX_AGE:-0s}",
            description = "Delete segments older than this; 0s keeps them [TUNNELCAST_RECORD_MAX_AGE] (default: ${DEFAULT-VALUE}).")
    Duration recordMaxAge;

    @Option(names = "--record-max-bytes-per-stream", paramLabel = "SIZE", converter = Units.Bytes.class,
            defaultValue = "${env:TUNNELCAST_RECORD_MAX_BYTES_PER_STREAM:-0}",
            description = "Keep only the newest segments of a stream that fit; 0: no limit [TUNNELCAST_RECORD_MAX_BYTES_PER_STREAM].")
    long recordMaxBytesPerStream;

    @Option(names = "--record-max-bytes", paramLabel = "SIZE", converter = Units.Bytes.class,
            defaultValue = "${env:TUNNELCAST_RECORD_MAX_BYTES:-0}",
            description = "Keep only the newest segments of all streams that fit, even if not handed off yet; 0: no limit [TUNNELCAST_RECORD_MAX_BYTES].")
    long recordMaxBytes;

    @Option(names = "--record-min-free", paramLabel = "SIZE", converter = Units.Bytes.class,
            defaultValue = "${env:TUNNELCAST_RECORD_MIN_FREE:-256MiB}",
            description = "Pause recording while the disk has less free space [TUNNELCAST_RECORD_MIN_FREE] (default: ${DEFAULT-VALUE}).")
    long recordMinFree;

    @Option(names = "--record-queue", paramLabel = "EVENTS", defaultValue = "${env:TUNNELCAST_RECORD_QUEUE:-4096}",
            description = "Bound of the queue between the relay and the recorder [TUNNELCAST_RECORD_QUEUE] (default: ${DEFAULT-VALUE}).")
    int recordQueue;

    @Option(names = "--record-fsync", paramLabel = "POLICY", converter = FsyncConverter.class,
            defaultValue = "${env:TUNNELCAST_RECORD_FSYNC:-fragment}",
            description = "When recordings are forced to disk: fragment (each finished fragment: a power loss loses at most the one being collected), segment (at close), none [TUNNELCAST_RECORD_FSYNC] (default: ${DEFAULT-VALUE}).")
    FsyncPolicy recordFsync;

    /** {@code --record-fsync}: the policy's own names, in any case. */
    static final class FsyncConverter implements CommandLine.ITypeConverter<FsyncPolicy> {
        @Override
        public FsyncPolicy convert(String value) {
            try {
                return FsyncPolicy.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Option(names = "--record-hook-command", paramLabel = "COMMAND", defaultValue = "${env:TUNNELCAST_RECORD_HOOK_COMMAND}",
            description = "Shell command run for every finished segment: path in $1 and $TUNNELCAST_SEGMENT_PATH, "
                    + "metadata in $TUNNELCAST_* [TUNNELCAST_RECORD_HOOK_COMMAND].")
    String recordHookCommand;

    @Option(names = "--record-webhook", paramLabel = "URL", defaultValue = "${env:TUNNELCAST_RECORD_WEBHOOK}",
            description = "URL that gets a JSON POST for every finished segment [TUNNELCAST_RECORD_WEBHOOK].")
    java.net.URI recordWebhook;

    @Option(names = "--cluster", paramLabel = "NATS_URLS", defaultValue = "${env:TUNNELCAST_CLUSTER}",
            description = "Join a cluster of relays over NATS (with JetStream): comma-separated nats:// or tls:// URLs;"
                    + " see docs/cluster.md [TUNNELCAST_CLUSTER].")
    String cluster;

    @Option(names = "--node-name", paramLabel = "NAME", defaultValue = "${env:TUNNELCAST_NODE_NAME}",
            description = "This node's name in the cluster, unique; default: the host name [TUNNELCAST_NODE_NAME].")
    String nodeName;

    @Option(names = "--cluster-creds", paramLabel = "FILE", defaultValue = "${env:TUNNELCAST_CLUSTER_CREDS}",
            description = "NATS credentials file (.creds: JWT and NKey seed) [TUNNELCAST_CLUSTER_CREDS].")
    Path clusterCreds;

    @Option(names = "--cluster-user", paramLabel = "USER", defaultValue = "${env:TUNNELCAST_CLUSTER_USER}",
            description = "NATS user, with --cluster-password [TUNNELCAST_CLUSTER_USER].")
    String clusterUser;

    @Option(names = "--cluster-password", paramLabel = "PASSWORD", defaultValue = "${env:TUNNELCAST_CLUSTER_PASSWORD}",
            description = "NATS password of --cluster-user [TUNNELCAST_CLUSTER_PASSWORD]."
                    + " Prefer the environment variable: command lines are visible to other users.")
    String clusterPassword;

    @Option(names = "--cluster-tls-ca", paramLabel = "PEM", defaultValue = "${env:TUNNELCAST_CLUSTER_TLS_CA}",
            description = "PEM certificates to trust for NATS over TLS (tls:// URLs; without it the JDK's CAs) [TUNNELCAST_CLUSTER_TLS_CA].")
    Path clusterTlsCa;

    @Option(names = "--cluster-directory-ttl", paramLabel = "DURATION", converter = Units.Time.class,
            defaultValue = "${env:TUNNELCAST_CLUSTER_DIRECTORY_TTL:-15s}",
            description = "How long a dead node's streams stay in the cluster's stream directory [TUNNELCAST_CLUSTER_DIRECTORY_TTL] (default: ${DEFAULT-VALUE}).")
    Duration clusterDirectoryTtl;

    @Option(names = "--cluster-recorder-lease", paramLabel = "DURATION", converter = Units.Time.class,
            defaultValue = "${env:TUNNELCAST_CLUSTER_RECORDER_LEASE:-10s}",
            description = "How long a node's lease on recording a stream lasts without renewal: after a recording node dies, another node with the stream's publisher records it after at most this [TUNNELCAST_CLUSTER_RECORDER_LEASE] (default: ${DEFAULT-VALUE}).")
    Duration clusterRecorderLease;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "${env:TUNNELCAST_LOG_LEVEL:-info}",
            description = "error, warn, info, debug or trace [TUNNELCAST_LOG_LEVEL] (default: ${DEFAULT-VALUE}).")
    String logLevel;

    RelayConfig toConfig() {
        if (maxMessageBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--max-message-bytes must be below 2 GiB");
        }
        RelayConfig.Builder b = RelayConfig.builder()
                .bindAddress(bind).port(port).tlsPort(tlsPort)
                .tokenSecret(tokenSecret)
                .access(accessConfig())
                .maxMessageBytes((int) maxMessageBytes)
                .maxStreams(maxStreams).maxPlayersPerStream(maxPlayersPerStream).maxPlayers(maxPlayers)
                .playerQueueBytes(playerQueueBytes).playerSocketSendBuffer(Math.toIntExact(playerSocketBuffer))
                .playerQueueAge(playerQueueAge)
                .slowPlayerTimeout(slowPlayerTimeout).playerWriteMerge(playerWriteMerge).helloTimeout(helloTimeout).gracePeriod(gracePeriod)
                .headerTimeout(headerTimeout).pingInterval(pingInterval).pongTimeout(pongTimeout)
                .maxPendingConnections(maxPendingConnections).maxPendingPerAddress(maxPendingPerAddress)
                .maxIdleConnections(maxIdleConnections).maxIdlePerAddress(maxIdlePerAddress)
                .gopCacheBytes(gopCacheBytes).allowTakeover(allowTakeover).maxRoomSize(maxRoomSize).staticDir(staticDir)
                .layers(new LayerSettings(layerDownDelay, layerUpDelay, layerProbeAfter, layerProbeMax, layerProbeLength,
                        layerProbeDelayRise));
        if (tlsCert != null || tlsKey != null) {
            b.tlsPem(tlsCert, tlsKey);
        }
        if (tlsKeystore != null) {
            b.tlsKeystore(tlsKeystore, tlsKeystorePassword);
        }
        if (ioThreads > 0) {
            b.ioThreads(ioThreads);
        }
        b.workerThreads(workerThreads);
        if (recordDir != null) {
            b.archive(archiveConfig());
        }
        if (cluster != null && !cluster.isBlank()) {
            b.cluster(clusterConfig());
        }
        return b.build();
    }

    ClusterConfig clusterConfig() {
        List<String> servers = java.util.Arrays.stream(cluster.split(",")).map(String::trim).filter(u -> !u.isEmpty()).toList();
        String node = nodeName != null && !nodeName.isBlank() ? nodeName : hostName();
        return new ClusterConfig(servers, node, clusterCreds, clusterUser, clusterPassword, clusterTlsCa,
                clusterDirectoryTtl, allowTakeover, clusterRecorderLease);
    }

    /** The host name as a node name: letters, digits, '_' and '-'. */
    private static String hostName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "node";
        }
        String name = host.replaceAll("[^A-Za-z0-9_-]", "-");
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    AccessConfig accessConfig() {
        return AccessConfig.defaults().withAllowedOrigins(List.of(allowedOrigins.split(",")))
                .withMetricsToken(metricsToken)
                .withMetricsBind(metricsBind == null || metricsBind.isBlank() ? null : AccessConfig.hostPort(metricsBind))
                .withTlsOnly(tlsOnly);
    }

    ArchiveConfig archiveConfig() {
        // the hook runs as `sh -c COMMAND tunnelcast-hook PATH`, so PATH is $1 in COMMAND
        List<String> hook = recordHookCommand == null || recordHookCommand.isBlank() ? List.of()
                : List.of("sh", "-c", recordHookCommand, "tunnelcast-hook");
        ArchiveConfig defaults = ArchiveConfig.defaults(recordDir);
        return defaults.withStreamGlob(recordStreams)
                .withSegmentDuration(recordSegment)
                .withRetention(recordMaxAge, recordMaxBytesPerStream, recordMaxBytes)
                .withMinFreeBytes(recordMinFree)
                .withQueuePackets(recordQueue)
                .withHook(hook, recordWebhook, defaults.hookInitialBackoff(), defaults.hookMaxBackoff())
                .withFsync(recordFsync);
    }

    @Override
    public Integer call() throws InterruptedException {
        LogLevel.set(logLevel);
        RelayConfig config = toConfig();
        Relay relay = Relay.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            relay.close();
            stopped.countDown();
        }, "tunnelcast-shutdown"));
        stopped.await();
        return 0;
    }
}
