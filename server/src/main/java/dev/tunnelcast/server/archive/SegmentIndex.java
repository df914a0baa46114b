package dev.tunnelcast.server.archive;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
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
 */
public final class SegmentIndex {

    private static final Logger log = LoggerFactory.getLogger(SegmentIndex.class);

    private final Path directory;
    private final ObjectMapper json = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final Map<String, NavigableMap<String, SegmentInfo>> byStream = new ConcurrentHashMap<>();

    private SegmentIndex(Path directory) {
        this.directory = directory;
    }

    /** Loads every sidecar under {@code directory} (created if missing). */
    public static SegmentIndex load(Path directory) throws IOException {
        SegmentIndex index = new SegmentIndex(directory);
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
        try {
            SegmentInfo info = json.readValue(sidecar.toFile(), SegmentInfo.class);
            segments(info.stream()).put(info.id(), info);
        } catch (IOException e) {
            log.warn("Ignoring unreadable archive index file {}: {}", sidecar, e.getMessage());
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
