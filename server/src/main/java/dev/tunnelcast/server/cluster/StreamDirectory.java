package dev.tunnelcast.server.cluster;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.server.relay.PublisherClaims;
import dev.tunnelcast.server.relay.PublisherHello;
import dev.tunnelcast.server.relay.Refusal;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.StorageType;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's stream directory, a JetStream key-value bucket whose entries expire
 * ({@link ClusterConfig#directoryTtl}) unless their node refreshes them: which stream is
 * published on which node, and how many players each node has of each stream. A local
 * publisher claims its stream here first, so a second publisher anywhere is refused with 4409.
 * While NATS is unreachable, claims are decided locally (the cluster is degraded) and the list
 * is the last one read.
 */
final class StreamDirectory implements PublisherClaims {

    private static final Logger log = LoggerFactory.getLogger(StreamDirectory.class);
    static final String BUCKET = "tunnelcast-streams";
    /** Keys of the nodes' player counts; a stream's key never holds a '.' (escaped), so they cannot clash. */
    static final String PLAYERS_PREFIX = "players.";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One directory entry: who publishes {@code stream}, since when (epoch millis). */
    record Entry(String stream, String node, String instanceId, long sinceMillis) {
    }

    private final ClusterConnection connection;
    private final ClusterMetrics metrics;
    private final ClusterConfig config;
    private final Supplier<Map<String, Integer>> localPlayers;
    private final ConcurrentHashMap<String, Entry> published = new ConcurrentHashMap<>();
    private volatile KeyValue bucket;
    private volatile Map<String, Entry> lastRead = Map.of();
    /** Other nodes' players per stream, as last read: node → stream → players. */
    private volatile Map<String, Map<String, Integer>> lastPlayers = Map.of();
    /** This node's counts as last written (null: unknown, write at the next heartbeat); cluster thread only. */
    private Map<String, Integer> playersWritten;
    private long playersWrittenAtNanos;

    /**
     * @param localPlayers this node's players per stream (streams without players may be left out)
     */
    StreamDirectory(ClusterConnection connection, ClusterMetrics metrics, ClusterConfig config,
                    Supplier<Map<String, Integer>> localPlayers) {
        this.connection = connection;
        this.metrics = metrics;
        this.config = config;
        this.localPlayers = localPlayers;
    }

    /** Creates the bucket if it is missing (idempotent); the first node of a cluster makes it. */
    void open() throws IOException {
        KeyValueManagement management = connection.nats().keyValueManagement();
        try {
            management.create(KeyValueConfiguration.builder().name(BUCKET).maxHistoryPerKey(1)
                    .ttl(config.directoryTtl()).storageType(StorageType.File).build());
        } catch (JetStreamApiException exists) {
            try {
                management.getStatus(BUCKET); // made by another node, perhaps with other settings: use it
            } catch (JetStreamApiException e) {
                throw new IOException("cannot create the stream directory bucket " + BUCKET + ": " + exists.getMessage(), e);
            }
        }
        bucket = connection.nats().keyValue(BUCKET);
    }

    @Override
    public void claim(String stream, PublisherHello hello) throws Refusal {
        KeyValue kv = bucket;
        if (kv == null || !connection.isConnected()) {
            return; // degraded: this node decides alone
        }
        try {
            Entry holder = read(kv, stream);
            if (holder == null) {
                try {
                    kv.create(StreamSubjects.directoryKey(stream), json(entry(stream, hello)));
                    return;
                } catch (JetStreamApiException raced) {
                    holder = read(kv, stream);
                    if (holder == null) {
                        return;
                    }
                }
            }
            boolean sameInstance = !hello.instanceId().isEmpty() && hello.instanceId().equals(holder.instanceId());
            if (holder.node().equals(config.nodeName()) || sameInstance || config.allowTakeover()) {
                return;
            }
            throw new Refusal(CloseCode.CLOSE_CODE_PUBLISHER_EXISTS,
                    "stream " + stream + " already has a publisher (on cluster node " + holder.node() + ")");
        } catch (IOException | JetStreamApiException | IllegalStateException e) { // IllegalState: NATS reconnecting
            metrics.directoryFailed();
            log.warn("stream directory unreadable; deciding {} locally: {}", stream, e.getMessage());
        }
    }

    /** A local publisher started: this node holds the stream. Called on the cluster thread. */
    void published(String stream, PublisherHello hello) {
        Entry entry = entry(stream, hello);
        published.put(stream, entry);
        write(entry);
    }

    /** The local publisher left: the entry goes, unless another node holds it by now. */
    void unpublished(String stream) {
        published.remove(stream);
        KeyValue kv = bucket;
        if (kv == null || !connection.isConnected()) {
            return;
        }
        try {
            Entry holder = read(kv, stream);
            if (holder != null && holder.node().equals(config.nodeName())) {
                kv.delete(StreamSubjects.directoryKey(stream));
            }
        } catch (IOException | JetStreamApiException | IllegalStateException e) { // IllegalState: NATS reconnecting
            metrics.directoryFailed();
        }
    }

    /**
     * Periodic, on the cluster thread: refresh this node's entries and its player counts (one key
     * per node, {@code players.<node>}, expiring with the TTL like the entries), then read the whole directory.
     */
    void heartbeat() {
        if (!connection.isConnected()) {
            return;
        }
        try {
            if (bucket == null) {
                open();
            }
            KeyValue kv = bucket;
            for (Entry entry : published.values()) {
                Entry holder = read(kv, entry.stream());
                if (holder == null || holder.node().equals(config.nodeName())) {
                    kv.put(StreamSubjects.directoryKey(entry.stream()), json(entry));
                } // else taken over through another node: that node's entry stands
            }
            writePlayers(kv);
            Map<String, Entry> all = new HashMap<>();
            Map<String, Map<String, Integer>> players = new HashMap<>();
            for (String key : kv.keys()) {
                if (key.startsWith(PLAYERS_PREFIX)) {
                    String node = key.substring(PLAYERS_PREFIX.length());
                    Map<String, Integer> counts = node.equals(config.nodeName()) ? null : readPlayers(kv, key);
                    if (counts != null) {
                        players.put(node, counts);
                    }
                    continue;
                }
                Entry entry = read(kv, StreamSubjects.unescape(key));
                if (entry != null) {
                    all.put(entry.stream(), entry);
                }
            }
            lastRead = Map.copyOf(all);
            lastPlayers = Map.copyOf(players);
        } catch (IOException | JetStreamApiException | IllegalStateException e) { // IllegalState: NATS reconnecting
            metrics.directoryFailed();
            log.warn("stream directory heartbeat failed: {}", e.getMessage());
            if (e instanceof JetStreamApiException api && api.getApiErrorCode() == 10059) {
                bucket = null; // the bucket is gone (a NATS without its store): make it again next time
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes this node's players per stream under {@code players.<node>} only when they changed, or
     * a third of the TTL after the last write to keep them from expiring; deletes the key when no
     * player is left. A node without players writes nothing: fewer JetStream requests per heartbeat.
     */
    private void writePlayers(KeyValue kv) throws IOException, JetStreamApiException {
        Map<String, Integer> now = Map.copyOf(localPlayers.get());
        long nowNanos = System.nanoTime();
        boolean due = nowNanos - playersWrittenAtNanos >= config.directoryTtl().toNanos() / 3;
        if (now.equals(playersWritten) && (now.isEmpty() || !due)) {
            return;
        }
        String key = PLAYERS_PREFIX + config.nodeName();
        playersWritten = null; // until this write succeeds
        if (now.isEmpty()) {
            kv.delete(key);
        } else {
            kv.put(key, JSON.writeValueAsBytes(now));
        }
        playersWritten = now;
        playersWrittenAtNanos = nowNanos;
    }

    /**
     * The players of {@code stream} on every node that has some: this node's now, the others' as
     * last read (written at their heartbeat, read at this node's: up to two heartbeats old).
     */
    Map<String, Integer> playersByNode(String stream) {
        Map<String, Integer> byNode = new TreeMap<>();
        lastPlayers.forEach((node, counts) -> {
            Integer count = counts.get(stream);
            if (count != null && count > 0) {
                byNode.put(node, count);
            }
        });
        Integer here = localPlayers.get().get(stream);
        if (here != null && here > 0) {
            byNode.put(config.nodeName(), here);
        }
        return byNode;
    }

    /** The streams published on other nodes, as last read. */
    List<Entry> elsewhere() {
        return lastRead.values().stream().filter(e -> !e.node().equals(config.nodeName())).toList();
    }

    private void write(Entry entry) {
        KeyValue kv = bucket;
        if (kv == null || !connection.isConnected()) {
            return;
        }
        try {
            kv.put(StreamSubjects.directoryKey(entry.stream()), json(entry));
        } catch (IOException | JetStreamApiException | IllegalStateException e) { // IllegalState: NATS reconnecting
            metrics.directoryFailed();
        }
    }

    private Entry entry(String stream, PublisherHello hello) {
        return new Entry(stream, config.nodeName(), hello.instanceId(), System.currentTimeMillis());
    }

    private static Entry read(KeyValue kv, String stream) throws IOException, JetStreamApiException {
        KeyValueEntry entry = kv.get(StreamSubjects.directoryKey(stream));
        if (entry == null || entry.getOperation() != KeyValueOperation.PUT || entry.getValue() == null) {
            return null;
        }
        return JSON.readValue(entry.getValue(), Entry.class);
    }

    private static Map<String, Integer> readPlayers(KeyValue kv, String key) throws IOException, JetStreamApiException {
        KeyValueEntry entry = kv.get(key);
        if (entry == null || entry.getOperation() != KeyValueOperation.PUT || entry.getValue() == null) {
            return null;
        }
        return JSON.readValue(entry.getValue(), new TypeReference<Map<String, Integer>>() { });
    }

    private static byte[] json(Entry entry) throws IOException {
        Map<String, Object> map = new HashMap<>();
        map.put("stream", entry.stream());
        map.put("node", entry.node());
        map.put("instanceId", entry.instanceId());
        map.put("sinceMillis", entry.sinceMillis());
        return JSON.writeValueAsBytes(map);
    }

    /** For the cluster's health line. */
    Duration ttl() {
        return config.directoryTtl();
    }
}
