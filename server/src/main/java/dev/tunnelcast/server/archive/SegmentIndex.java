package dev.tunnelcast.server.archive;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalogue of segments: one JSON sidecar per segment ({@code <stream>/<id>.json}),
 * replaced atomically (write to a temporary file, then rename), mirrored in memory.
 *
 * <p>Why sidecars and not a database: a sidecar lives and dies with its media file, so the
 * catalogue cannot disagree with the disk after a crash or a manual {@code rm}; each update
 * is one atomic rename (nothing to repair after {@code kill -9}); users can read it with
 * any tool; and it needs no extra dependency. The in-memory copy answers queries, so the
 * directory is scanned only at startup.
 *
 * <p>On a cluster's shared storage other nodes write sidecars into the same folders. A node
 * owns the segments that name it ({@link #owns}): only those does it repair, hand off and
 * delete by retention. The others it lists and serves: {@link #refreshOthers} reads a stream's
 * folder again for them, at most once per {@link #REFRESH_INTERVAL}, when the API is asked.
 */
public final class SegmentIndex {

    private static final Logger log = LoggerFactory.getLogger(SegmentIndex.class);

    /** How stale another node's segments may be in this node's answers. */
    static final Duration REFRESH_INTERVAL = Duration.ofSeconds(1);

    private final Path directory;
    /** The cluster node this index belongs to (null: a relay on its own). */
    private final String node;
    /** When each stream's folder was last read for other nodes' segments, System.nanoTime(). */
    private final Map<String, Long> refreshedAt = new ConcurrentHashMap<>();
    private final ObjectMapper json = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final Map<String, NavigableMap<String, SegmentInfo>> byStream = new ConcurrentHashMap<>();

    private SegmentIndex(Path directory, String node) {
        this.directory = directory;
        this.node = node;
    }

    /** Loads every sidecar under {@code directory} (created if missing), for a relay on its own. */
    public static SegmentIndex load(Path directory) throws IOException {
        return load(directory, null);
    }

    /** Loads every sidecar under {@code directory} (created if missing), for cluster node {@code node} (null: none). */
    public static SegmentIndex load(Path directory, String node) throws IOException {
        SegmentIndex index = new SegmentIndex(directory, node);
        Files.createDirectories(directory);
        try (Stream<Path> files = Files.walk(directory, 2)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().endsWith(".json") && Files.isRegularFile(file)) {
                    index.read(file);
                }
            }
        }
        return index;
    }

    private void read(Path sidecar) {
        parse(sidecar).ifPresent(info -> segments(info.stream()).put(info.id(), info));
    }

    private Optional<SegmentInfo> parse(Path sidecar) {
        try {
            return Optional.of(json.readValue(sidecar.toFile(), SegmentInfo.class));
        } catch (IOException e) {
            log.warn("Ignoring unreadable archive index file {}: {}", sidecar, e.getMessage());
            return Optional.empty();
        }
    }

    /** Whether this node wrote {@code segment} (a relay on its own: the segments that name no node). */
    public boolean owns(SegmentInfo segment) {
        return Objects.equals(node, segment.node());
    }

    /** The segments this node wrote, of every stream, oldest first. */
    public List<SegmentInfo> own() {
        return all().stream().filter(this::owns).toList();
    }

    /**
     * Reads {@code stream}'s folder again for the segments of other cluster nodes: new ones are
     * added, changed ones replaced, deleted ones forgotten. A no-op for a relay on its own, and
     * within {@link #REFRESH_INTERVAL} of the last read. Blocks on the file system: not on an I/O thread.
     */
    public void refreshOthers(String stream) {
        long now = System.nanoTime();
        Long last = refreshedAt.get(stream);
        if (node == null || last != null && now - last < REFRESH_INTERVAL.toNanos()) {
            return;
        }
        refreshedAt.put(stream, now);
        Map<String, SegmentInfo> others = new HashMap<>();
        Path folder = streamDirectory(stream);
        if (Files.isDirectory(folder)) {
            try (Stream<Path> files = Files.list(folder)) {
                files.filter(f -> f.getFileName().toString().endsWith(".json"))
                        .map(this::parse).flatMap(Optional::stream)
                        .filter(info -> !owns(info) && info.stream().equals(stream))
                        .forEach(info -> others.put(info.id(), info));
            } catch (IOException e) {
                log.warn("Cannot read {} for other nodes' segments: {}", folder, e.toString());
                return;
            }
        }
        synchronized (this) {
            NavigableMap<String, SegmentInfo> known = segments(stream);
            known.values().removeIf(info -> !owns(info) && !others.containsKey(info.id()));
            known.putAll(others);
        }
    }

    public Path directory() {
        return directory;
    }

    public Path streamDirectory(String stream) {
        return directory.resolve(stream);
    }

    public Path mediaFile(SegmentInfo info) {
        return streamDirectory(info.stream()).resolve(info.fileName());
    }

    /** The JSON file of {@code info}. */
    Path sidecar(SegmentInfo info) {
        return streamDirectory(info.stream()).resolve(info.id() + ".json");
    }

    /** Stores (adds or replaces) a segment's entry, durably before returning. */
    public synchronized void put(SegmentInfo info) throws IOException {
        Path target = sidecar(info);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(info));
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        segments(info.stream()).put(info.id(), info);
    }

    /** Like {@link #put} for callers that cannot act on a failure but log it. */
    public synchronized void putOrLog(SegmentInfo info) {
        try {
            put(info);
        } catch (IOException e) {
            log.error("Cannot update archive index for segment {} of stream {}: {}",
                    info.id(), info.stream(), e.toString());
            segments(info.stream()).put(info.id(), info);
        }
    }

    /** Deletes the media file and the entry. */
    public synchronized void delete(SegmentInfo info) throws IOException {
        Files.deleteIfExists(mediaFile(info));
        Files.deleteIfExists(sidecar(info));
        segments(info.stream()).remove(info.id());
    }

    /**
     * Replaces the entry of {@code id} with {@code change} applied to it, unless retention
     * deleted it meanwhile (updates and deletions are serialized, so a deleted segment never
     * comes back as a sidecar without media).
     */
    public synchronized void updateIfPresent(String stream, String id, UnaryOperator<SegmentInfo> change) {
        get(stream, id).ifPresent(current -> putOrLog(change.apply(current)));
    }

    public Optional<SegmentInfo> get(String stream, String id) {
        NavigableMap<String, SegmentInfo> map = byStream.get(stream);
        return map == null ? Optional.empty() : Optional.ofNullable(map.get(id));
    }

    /** The segments of {@code stream} overlapping [fromMicros, toMicros], oldest first. */
    public List<SegmentInfo> list(String stream, long fromMicros, long toMicros) {
        NavigableMap<String, SegmentInfo> map = byStream.get(stream);
        if (map == null) {
            return List.of();
        }
        List<SegmentInfo> out = new ArrayList<>();
        for (SegmentInfo s : map.values()) {
            long end = s.state() == SegmentInfo.State.RECORDING ? Long.MAX_VALUE : s.endWallMicros();
            if (end >= fromMicros && s.startWallMicros() <= toMicros) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparingLong(SegmentInfo::startWallMicros));
        return out;
    }

    /** Every segment of every stream, oldest first. */
    public List<SegmentInfo> all() {
        List<SegmentInfo> out = new ArrayList<>();
        byStream.values().forEach(m -> out.addAll(m.values()));
        out.sort(Comparator.comparingLong(SegmentInfo::startWallMicros));
        return out;
    }

    private NavigableMap<String, SegmentInfo> segments(String stream) {
        return byStream.computeIfAbsent(stream, s -> new ConcurrentSkipListMap<>());
    }

}
