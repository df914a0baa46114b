package dev.tunnelcast.server.archive;

import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.server.relay.StreamObserver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's archive observer. On the publisher's I/O thread it only puts events into one
 * bounded queue (never blocking); a single writer thread muxes them into segments, so a slow
 * or full disk never delays a player. When the queue is full, events are dropped and
 * counted, the episode is logged once, and the stream's segment ends cleanly where the gap
 * starts (the next one starts at a keyframe). What starts, ends or resumes a segment is never
 * dropped with the packets: it has room of its own above the packets' bound, so a publisher
 * that stops while its packets are dropped still ends its segment once the writer catches up.
 */
public final class Recorder implements StreamObserver, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Recorder.class);
    private static final long IDLE_NAP_NANOS = 5_000_000;
    private static final int IDLE_NAPS_BEFORE_BLOCKING = 200;
    /**
     * Room above the packets' bound for the events that start, end or resume a segment (one of
     * each per publisher's connection, or per episode of dropping).
     */
    static final int LIFECYCLE_ROOM = 1024;

    private sealed interface Event permits Started, Config, Packet, Stopped, Gap, LeaseLost, Shutdown {}
    private record Started(String stream, String session) implements Event {}
    private record Config(String stream, TrackConfig config) implements Event {}
    private record Packet(String stream, MediaPacket packet, long receivedAtMicros) implements Event {}
    private record Stopped(String stream, String session) implements Event {}
    private record Gap(String stream, long droppedEvents, List<TrackConfig> latestTracks) implements Event {}
    private record LeaseLost(String stream) implements Event {}
    private record Shutdown() implements Event {}

    private final ArchiveConfig config;
    private final SegmentIndex index;
    private final ArchiveMetrics metrics;
    private final Clock clock;
    private final DiskSpace disk;
    private final SegmentRepair repair;
    private final Consumer<SegmentInfo> onClosed;
    private final String node;
    private volatile RecordingLeases leases = RecordingLeases.SOLE;
    private final BlockingQueue<Event> queue;
    private final Map<String, Boolean> recorded = new ConcurrentHashMap<>();
    /** Latest track configs per stream, as the producer saw them (to resume after a gap). */
    private final Map<String, Map<Integer, TrackConfig>> latestTracks = new ConcurrentHashMap<>();
    /** Streams whose events are being dropped, with how many so far. */
    private final Map<String, AtomicLong> dropping = new ConcurrentHashMap<>();
    /** Owned by the writer thread. */
    private final Map<String, StreamRecording> recordings = new HashMap<>();
    private final Thread writer;

    Recorder(ArchiveConfig config, SegmentIndex index, ArchiveMetrics metrics, Clock clock,
            DiskSpace disk, Consumer<SegmentInfo> onClosed, String node) {
        this.config = config;
        this.index = index;
        this.metrics = metrics;
        this.clock = clock;
        this.disk = disk;
        this.repair = new SegmentRepair(index, metrics);
        this.onClosed = onClosed;
        this.node = node;
        this.queue = new ArrayBlockingQueue<>(config.queuePackets() + LIFECYCLE_ROOM);
        metrics.queueDepth(queue::size);
        this.writer = new Thread(this::run, "archive-writer");
        writer.setDaemon(true);
    }

    void start() {
        writer.start();
    }

    /** From now on, record a stream only while holding its lease (a cluster: one recorder per stream). */
    void useLeases(RecordingLeases clusterLeases) {
        this.leases = clusterLeases;
        clusterLeases.onLost(this::leaseLost);
    }

    /**
     * Another node took the stream's lease: queued behind the events already offered, so a
     * publisher that leaves right after (a takeover) finds the segment closed as lost. It ends
     * a segment, so like a publisher's start and stop it may use the room above the packets' bound.
     */
    private void leaseLost(String stream) {
        if (!queue.offer(new LeaseLost(stream))) {
            metrics.queueDropped.increment(); // the writer still sees the loss at the stream's next packet
        }
    }

    @Override
    public void publisherStarted(String stream, String sessionId) {
        if (records(stream)) {
            offer(stream, new Started(stream, sessionId));
        }
    }

    @Override
    public void trackConfig(String stream, TrackConfig trackConfig) {
        if (records(stream) && trackConfig.getLayer() == 0) { // of a simulcast track, the top layer only
            latestTracks.computeIfAbsent(stream, s -> new ConcurrentHashMap<>()).put(trackConfig.getTrackId(), trackConfig);
            offer(stream, new Config(stream, trackConfig));
        }
    }

    @Override
    public void mediaPacket(String stream, MediaPacket packet, long receivedAtMicros) {
        if (records(stream) && packet.getLayer() == 0) {
            offer(stream, new Packet(stream, packet, receivedAtMicros));
        }
    }

    @Override
    public void publisherStopped(String stream, String sessionId) {
        if (records(stream)) {
            latestTracks.remove(stream);
            offer(stream, new Stopped(stream, sessionId));
        }
    }

    private boolean records(String stream) {
        return recorded.computeIfAbsent(stream, config::records);
    }

    private void offer(String stream, Event event) {
        // Packets and track configs fill the queue up to its bound (a dropped config comes back with the gap's tracks).
        boolean lifecycle = event instanceof Started || event instanceof Stopped;
        if (!lifecycle && queue.size() >= config.queuePackets()) {
            drop(stream);
            return;
        }
        AtomicLong dropped = dropping.get(stream);
        if (dropped != null) {
            List<TrackConfig> tracks = List.copyOf(latestTracks.getOrDefault(stream, Map.of()).values());
            if (!queue.offer(new Gap(stream, dropped.get(), tracks))) {
                drop(stream);
                return;
            }
            dropping.remove(stream);
            log.info("Archive queue for stream {} accepts events again after dropping {}", stream, dropped.get());
        }
        if (!queue.offer(event)) {
            drop(stream); // the lifecycle room is full too: over a thousand publishers came and went behind a stalled writer
        }
    }

    private void drop(String stream) {
        AtomicLong counter = dropping.computeIfAbsent(stream, s -> {
            log.warn("Archive queue full ({} events): dropping events of stream {}; its segment ends here "
                    + "and the next starts at a keyframe", config.queuePackets(), s);
            return new AtomicLong();
        });
        counter.incrementAndGet();
        metrics.queueDropped.increment();
    }

    /**
     * Drains the queue in batches and naps when it is empty, instead of blocking in take():
     * a blocked consumer makes every offer() on the relay's I/O threads wake it (a futex call
     * per packet; measured: about a third of recording's CPU at 50 streams), while a few
     * milliseconds of extra delay on the way to disk cost nothing. After a second without
     * events it blocks, so an idle relay does not wake 200 times a second.
     */
    private void run() {
        List<Event> batch = new ArrayList<>(256);
        int idleNaps = 0;
        while (true) {
            batch.clear();
            if (queue.drainTo(batch, 256) == 0) {
                try {
                    if (idleNaps++ < IDLE_NAPS_BEFORE_BLOCKING) {
                        LockSupport.parkNanos(IDLE_NAP_NANOS);
                        if (Thread.interrupted()) {
                            throw new InterruptedException();
                        }
                        continue;
                    }
                    Event event = queue.poll(1, TimeUnit.SECONDS);
                    if (event == null) {
                        continue;
                    }
                    batch.add(event);
                } catch (InterruptedException e) {
                    break;
                }
            }
            idleNaps = 0;
            for (Event event : batch) {
                if (event instanceof Shutdown) {
                    recordings.values().forEach(StreamRecording::shutdown);
                    return;
                }
                try {
                    handle(event);
                } catch (RuntimeException e) {
                    log.error("Archive writer failed on {}", event.getClass().getSimpleName(), e);
                }
            }
        }
        recordings.values().forEach(StreamRecording::shutdown);
    }

    private void handle(Event event) {
        if (event instanceof Packet p) {
            recording(p.stream()).packet(p.packet(), p.receivedAtMicros());
        } else if (event instanceof Config c) {
            recording(c.stream()).trackConfig(c.config());
        } else if (event instanceof Started s) {
            recording(s.stream()).publisherStarted(s.session());
        } else if (event instanceof Stopped s) {
            recording(s.stream()).publisherStopped();
        } else if (event instanceof Gap g) {
            recording(g.stream()).gap(g.latestTracks());
        } else if (event instanceof LeaseLost l) {
            recording(l.stream()).leaseLost();
        }
    }

    private StreamRecording recording(String stream) {
        return recordings.computeIfAbsent(stream,
                s -> new StreamRecording(s, config, index, metrics, clock, disk, repair, onClosed, node,
                        name -> leases.fencingToken(name)));
    }

    /** Closes every open segment cleanly and stops the writer. */
    @Override
    public void close() throws InterruptedException {
        if (!writer.isAlive()) {
            return;
        }
        if (!queue.offer(new Shutdown(), 10, TimeUnit.SECONDS)) {
            log.warn("Archive queue still full after 10 s at shutdown; open segments will be recovered at the next start");
            writer.interrupt();
        }
        writer.join(TimeUnit.SECONDS.toMillis(30));
    }
}
