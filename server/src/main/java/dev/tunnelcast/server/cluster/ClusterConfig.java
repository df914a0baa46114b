package dev.tunnelcast.server.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a relay node joins its cluster (docs/cluster.md).
 *
 * @param servers          NATS URLs ({@code nats://host:4222}, {@code tls://host:4222}), tried in turn
 * @param nodeName         this node's name in the stream directory and in logs; unique per cluster
 * @param credentialsFile  a NATS {@code .creds} file (JWT + NKey seed), or null
 * @param user             a NATS user (with {@code password}), or null
 * @param password         the NATS user's password, or null
 * @param tlsCaPem         PEM certificates to trust for NATS over TLS (implies TLS), or null: the JDK's
 * @param directoryTtl     how long a directory entry lives without its node's heartbeat
 * @param allowTakeover    a publisher may take a stream over from another node (as {@code --allow-takeover})
 * @param recorderLease    how long a stream's recorder lease lives without its holder's renewal
 */
public record ClusterConfig(List<String> servers, String nodeName, Path credentialsFile, String user, String password,
                            Path tlsCaPem, Duration directoryTtl, boolean allowTakeover, Duration recorderLease) {

    /** The directory's default entry lifetime: a dead node's streams vanish after this. */
    public static final Duration DEFAULT_DIRECTORY_TTL = Duration.ofSeconds(15);
    /** The recorder lease's default lifetime: a dead recording node's streams are recorded elsewhere after this. */
    public static final Duration DEFAULT_RECORDER_LEASE = Duration.ofSeconds(10);
    /** A node's name: it appears in NATS subjects, directory keys and recording ids. */
    public static final String NODE_NAME_PATTERN = "[A-Za-z0-9_-]{1,64}";

    public ClusterConfig {
        servers = List.copyOf(servers);
        Objects.requireNonNull(nodeName, "nodeName");
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("--cluster needs at least one NATS URL");
        }
        if (!nodeName.matches(NODE_NAME_PATTERN)) {
            throw new IllegalArgumentException("--node-name must be 1 to 64 letters, digits, '_' or '-': " + nodeName);
        }
        if ((user == null) != (password == null)) {
            throw new IllegalArgumentException("--cluster-user and --cluster-password go together");
        }
        if (directoryTtl.toSeconds() < 3) {
            throw new IllegalArgumentException("--cluster-directory-ttl must be at least 3 s");
        }
        if (recorderLease.toSeconds() < 3) {
            throw new IllegalArgumentException("--cluster-recorder-lease must be at least 3 s");
        }
    }
}
