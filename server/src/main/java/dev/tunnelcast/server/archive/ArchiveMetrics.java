package dev.tunnelcast.server.archive;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** The archive's meters, all under {@code tunnelcast.archive.*} (Prometheus: {@code tunnelcast_archive_*}). */
final class ArchiveMetrics {

    private final MeterRegistry registry;
    final Counter queueDropped;
    final Counter packetsWritten;
    final Counter bytesWritten;
    final Counter segmentsOpened;
    final Counter segmentsClosed;
    final Counter segmentsRecovered;
    final Counter writeFaults;
    final Counter hookSucceeded;
    final Counter hookFailed;
    final AtomicInteger faultedStreams = new AtomicInteger();
    final AtomicInteger hookPending = new AtomicInteger();
    final Timer packetWrite;
    private final Map<Discard, Counter> discards = new EnumMap<>(Discard.class);

    ArchiveMetrics(MeterRegistry registry) {
        this.registry = registry;
        queueDropped = Counter.builder("tunnelcast.archive.queue.dropped")
                .description("Events dropped because the recorder's queue was full").register(registry);
        packetsWritten = Counter.builder("tunnelcast.archive.packets.written").register(registry);
        bytesWritten = Counter.builder("tunnelcast.archive.bytes.written").baseUnit("bytes").register(registry);
        segmentsOpened = Counter.builder("tunnelcast.archive.segments.opened").register(registry);
        segmentsClosed = Counter.builder("tunnelcast.archive.segments.closed").register(registry);
        segmentsRecovered = Counter.builder("tunnelcast.archive.segments.recovered")
                .description("Unfinished segments repaired at startup").register(registry);
        writeFaults = Counter.builder("tunnelcast.archive.write.faults")
                .description("Times recording of a stream stopped on a disk error").register(registry);
        hookSucceeded = Counter.builder("tunnelcast.archive.hook.attempts").tag("result", "success").register(registry);
        hookFailed = Counter.builder("tunnelcast.archive.hook.attempts").tag("result", "failure").register(registry);
        packetWrite = Timer.builder("tunnelcast.archive.packet.write")
                .description("Writing one packet into its segment, with the fsync the policy asks for")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
        for (Discard reason : Discard.values()) { // at zero from the start, so a scrape shows them all
            discards.put(reason, Counter.builder("tunnelcast.archive.packets.discarded").tag("reason", reason.tag())
                    .description("Packets left out of recordings, by reason").register(registry));
        }
        Gauge.builder("tunnelcast.archive.streams.faulted", faultedStreams, AtomicInteger::get)
                .description("Streams whose recording is stopped by a disk fault").register(registry);
        Gauge.builder("tunnelcast.archive.hook.pending", hookPending, AtomicInteger::get)
                .description("Closed segments not yet handed off").register(registry);
    }

    void queueDepth(Supplier<Number> depth) {
        Gauge.builder("tunnelcast.archive.queue.depth", depth).register(registry);
    }

    /** Why a packet was left out of its recording: the {@code reason} of {@code tunnelcast_archive_packets_discarded_total}. */
    enum Discard {
        UNSUPPORTED_TRACK, WAITING_FOR_KEYFRAME, DISK_FAULT, TRACK_NOT_IN_SEGMENT, BEFORE_SEGMENT_START, NON_MONOTONIC_PTS,
        /** Another cluster node holds the stream's recorder lease. */
        NOT_LEASE_HOLDER;

        String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    void discarded(Discard reason) {
        discards.get(reason).increment();
    }

    /** A track announced with a codec the MP4 recorder cannot hold (its packets count as discarded too). */
    void unrecordedTrack(String codec) {
        String family = codec.split("\\.", 2)[0]; // the codec family keeps the label set small
        Counter.builder("tunnelcast.archive.tracks.unrecorded").tag("codec", family.substring(0, Math.min(16, family.length())))
                .description("Tracks left out of recordings because MP4 cannot hold their codec")
                .register(registry).increment();
    }

    /** One fsync: {@code what} is fragment, segment, sidecar or directory. */
    void fsynced(String what, long nanos) {
        Timer.builder("tunnelcast.archive.fsync").tag("what", what)
                .description("fsync calls of the recorder (--record-fsync) and their time")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    void deleted(String reason, boolean forced) {
        registry.counter("tunnelcast.archive.retention.deleted", "reason", reason,
                "forced", Boolean.toString(forced)).increment();
    }
}
