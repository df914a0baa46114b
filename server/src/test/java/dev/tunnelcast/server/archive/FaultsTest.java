package dev.tunnelcast.server.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.server.relay.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Disk faults and a stalled writer: recording stops or drops cleanly, the caller never waits. */
class FaultsTest {

    @TempDir
    Path dir;

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        final AtomicLong millis = new AtomicLong(1_790_000_000_000L);

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return Instant.ofEpochMilli(millis.get()); }
    }

    private static void publish(StreamObserver observer, MediaFixture media, List<MediaPacket> packets) {
        packets.forEach(p -> observer.mediaPacket("cam1", p, p.getPtsMicros()));
    }

    private static List<MediaPacket> seconds(MediaFixture media, int from, int to) {
        return media.packets().stream().filter(p -> p.getPtsMicros() >= MediaFixture.TIMELINE_OFFSET_MICROS + from * 1_000_000L
                && p.getPtsMicros() < MediaFixture.TIMELINE_OFFSET_MICROS + to * 1_000_000L).toList();
    }

    @Test
    void aFullDiskStopsRecordingWithAMetricAndItResumesWhenSpaceReturns() throws Exception {
        MediaFixture media = MediaFixture.generate(10, 30);
        AtomicLong free = new AtomicLong(Long.MAX_VALUE);
        TestClock clock = new TestClock();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Archive archive = Archive.start(ArchiveConfig.defaults(dir).withMinFreeBytes(1 << 20)
                .withFaultRetryInterval(Duration.ofSeconds(5)), registry, clock, d -> free.get());
        archive.observer().publisherStarted("cam1", "s1");
        media.tracks().forEach(t -> archive.observer().trackConfig("cam1", t));

        publish(archive.observer(), media, seconds(media, 0, 3));
        CrashRecoveryTest.awaitProcessed(registry, seconds(media, 0, 3).size());
        free.set(1000); // the disk fills up
        publish(archive.observer(), media, seconds(media, 3, 6));
        CrashRecoveryTest.awaitProcessed(registry, seconds(media, 0, 6).size());
        assertThat(registry.get("tunnelcast.archive.streams.faulted").gauge().value()).isEqualTo(1);
        assertThat(registry.get("tunnelcast.archive.write.faults").counter().count()).isGreaterThanOrEqualTo(1);

        free.set(Long.MAX_VALUE); // space returns; the next keyframe after the retry interval resumes
        clock.millis.addAndGet(6_000);
        publish(archive.observer(), media, seconds(media, 6, 10));
        archive.close();

        List<SegmentInfo> segments = archive.index().all();
        assertThat(segments).hasSize(2);
        SegmentInfo stopped = segments.get(0);
        assertThat(stopped.closeReason()).isEqualTo("low-disk-space");
        // the keyframe at 3 s found the disk full: the first segment holds the first 3 s
        assertThat(stopped.videoFrames()).isEqualTo(90);
        assertThat(segments.get(1).videoFrames()).isEqualTo(120);
        assertThat(registry.get("tunnelcast.archive.streams.faulted").gauge().value()).isZero();
        for (SegmentInfo s : segments) {
            Tools.ProbeStream video = Tools.ffprobe(archive.index().mediaFile(s).toString()).stream("video");
            assertThat((long) video.ptsSeconds().size()).isEqualTo(s.videoFrames());
        }
    }

    @Test
    void anUnwritableDirectoryStopsRecordingAndItResumesOnceFixed() throws Exception {
        MediaFixture media = MediaFixture.generate(10, 30);
        Files.writeString(dir.resolve("cam1"), "not a directory"); // root ignores permissions; a file does not
        TestClock clock = new TestClock();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Archive archive = Archive.start(ArchiveConfig.defaults(dir).withFaultRetryInterval(Duration.ofSeconds(5)),
                registry, clock, DiskSpace.FILE_STORE);
        archive.observer().publisherStarted("cam1", "s1");
        media.tracks().forEach(t -> archive.observer().trackConfig("cam1", t));
        publish(archive.observer(), media, seconds(media, 0, 4));
        CrashRecoveryTest.awaitProcessed(registry, seconds(media, 0, 4).size());
        assertThat(registry.get("tunnelcast.archive.streams.faulted").gauge().value()).isEqualTo(1);
        assertThat(archive.index().all()).isEmpty();

        Files.delete(dir.resolve("cam1"));
        clock.millis.addAndGet(6_000);
        publish(archive.observer(), media, seconds(media, 4, 10));
        archive.close();
        assertThat(archive.index().all()).singleElement()
                .satisfies(s -> assertThat(s.videoFrames()).isEqualTo(180));
        assertThat(registry.get("tunnelcast.archive.streams.faulted").gauge().value()).isZero();
    }

    @Test
    void aStalledWriterNeverDelaysTheCallerAndTheOverflowEndsTheSegmentCleanly() throws Exception {
        MediaFixture media = MediaFixture.generate(10, 30);
        HangingDisk slowDisk = new HangingDisk();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Archive archive = Archive.start(ArchiveConfig.defaults(dir).withQueuePackets(64), registry,
                Clock.systemUTC(), slowDisk);
        long callerMillis = publishFiveSecondsIntoTheHangingWriter(archive, media, slowDisk);
        assertThat(callerMillis).as("the publisher thread never waits for the disk").isLessThan(1_000);
        double dropped = registry.get("tunnelcast.archive.queue.dropped").counter().count();
        assertThat(dropped).isPositive();

        slowDisk.stall.countDown();
        publishAtTheWritersPace(archive, registry, seconds(media, 5, 10));
        archive.close();
        List<SegmentInfo> segments = archive.index().all();
        assertThat(segments).hasSize(2);
        assertThat(segments.get(0).closeReason()).isEqualTo("queue-overflow");
        for (SegmentInfo s : segments) {
            Tools.ProbeStream video = Tools.ffprobe(archive.index().mediaFile(s).toString()).stream("video");
            assertThat((long) video.ptsSeconds().size()).isEqualTo(s.videoFrames());
            RecorderTest.assertStrictlyIncreasing(video.ptsSeconds());
        }
        assertThat(segments.get(1).videoFrames()).as("the second segment starts at a keyframe after the gap")
                .isEqualTo(150);
    }

    @Test
    void aPublisherThatStopsWhileItsEventsAreDroppedStillEndsItsSegmentOnceTheWriterCatchesUp() throws Exception {
        // Seen in a call test beside a CPU hog: the writer fell 4096 events behind, the publisher's stop came while its
        // packets were being dropped and was dropped with them; the segment stayed RECORDING until the relay shut down.
        MediaFixture media = MediaFixture.generate(10, 30);
        HangingDisk slowDisk = new HangingDisk();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Archive archive = Archive.start(ArchiveConfig.defaults(dir).withQueuePackets(64), registry,
                Clock.systemUTC(), slowDisk);
        try {
            publishFiveSecondsIntoTheHangingWriter(archive, media, slowDisk);
            assertThat(registry.get("tunnelcast.archive.queue.dropped").counter().count()).isPositive();
            archive.observer().publisherStopped("cam1", "s1");

            slowDisk.stall.countDown();
            HandoffAndRetentionTest.await(() -> !archive.index().all().isEmpty()
                    && archive.index().all().stream().allMatch(SegmentInfo::finished));
            assertThat(archive.index().all()).singleElement()
                    .satisfies(s -> assertThat(s.closeReason()).as("it ends where the gap began").isEqualTo("queue-overflow"));

            // The stream records again when its publisher comes back.
            archive.observer().publisherStarted("cam1", "s2");
            media.tracks().forEach(t -> archive.observer().trackConfig("cam1", t));
            publishAtTheWritersPace(archive, registry, seconds(media, 5, 10));
            archive.observer().publisherStopped("cam1", "s2");
            HandoffAndRetentionTest.await(() -> archive.index().all().size() == 2
                    && archive.index().all().stream().allMatch(SegmentInfo::finished));
            assertThat(archive.index().all().get(1).closeReason()).isEqualTo("publisher-stopped");
            assertThat(archive.index().all().get(1).videoFrames()).isEqualTo(150);
        } finally {
            archive.close();
        }
    }

    /**
     * Starts stream cam1 (session s1) and publishes its first 5 s: the writer hangs in the disk at
     * the first keyframe, so the rest overflows the test's 64-event queue. Returns how long the
     * caller took to publish what came after the keyframe, ms.
     */
    private static long publishFiveSecondsIntoTheHangingWriter(Archive archive, MediaFixture media, HangingDisk disk)
            throws InterruptedException {
        archive.observer().publisherStarted("cam1", "s1");
        media.tracks().forEach(t -> archive.observer().trackConfig("cam1", t));
        List<MediaPacket> firstFive = seconds(media, 0, 5);
        int firstKeyframe = firstFive.indexOf(firstFive.stream().filter(p -> p.getTrackId() == 1).findFirst().orElseThrow());
        publish(archive.observer(), media, firstFive.subList(0, firstKeyframe + 1));
        assertThat(disk.stalled.await(10, TimeUnit.SECONDS)).isTrue(); // the writer hangs in the disk now
        long started = System.nanoTime();
        publish(archive.observer(), media, firstFive.subList(firstKeyframe + 1, firstFive.size()));
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** Publishes cam1's packets no faster than the writer takes them (the test's queue holds only 64 events). */
    private static void publishAtTheWritersPace(Archive archive, SimpleMeterRegistry registry, List<MediaPacket> packets)
            throws InterruptedException {
        for (MediaPacket p : packets) {
            HandoffAndRetentionTest.await(() -> registry.get("tunnelcast.archive.queue.depth").gauge().value() < 32);
            archive.observer().mediaPacket("cam1", p, p.getPtsMicros());
        }
    }

    /** Free space as the writer asks for it when it opens the first segment: the disk hangs there until {@code stall} opens. */
    private static final class HangingDisk implements DiskSpace {
        final CountDownLatch stall = new CountDownLatch(1);
        final CountDownLatch stalled = new CountDownLatch(1);
        private final AtomicLong checks = new AtomicLong();

        @Override
        public long usableBytes(Path directory) {
            if (checks.incrementAndGet() == 1) {
                stalled.countDown();
                try {
                    stall.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Long.MAX_VALUE;
        }
    }
}
