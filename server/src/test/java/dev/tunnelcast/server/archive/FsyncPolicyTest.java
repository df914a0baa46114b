package dev.tunnelcast.server.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --record-fsync}: which fsyncs the recorder makes, read from its meters, for 10 s of
 * real H.264 + Opus cut into 3-second segments.
 */
class FsyncPolicyTest {

    static MediaFixture media;

    @TempDir
    Path dir;

    @BeforeAll
    static void encode() throws Exception {
        media = MediaFixture.generate(10, 30);
    }

    @ParameterizedTest
    @EnumSource(FsyncPolicy.class)
    void eachPolicySyncsWhatItPromises(FsyncPolicy policy) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Archive archive = Archive.start(ArchiveConfig.defaults(dir).withSegmentDuration(Duration.ofSeconds(3))
                .withFsync(policy), registry);
        media.publish(archive.observer(), "cam1", "s1", 1_790_000_000_000_000L);
        archive.close();
        List<SegmentInfo> segments = archive.index().all();
        assertThat(segments).hasSize(4);
        long fragments = 0;
        for (SegmentInfo s : segments) {
            fragments += Fmp4Layout.read(archive.index().mediaFile(s)).fragments().size();
        }

        switch (policy) {
            case FRAGMENT -> {
                // every fragment FFmpeg finished while recording; the last one of each file comes with the trailer
                assertThat(fsyncs(registry, "fragment")).isBetween(fragments - segments.size(), fragments);
                assertThat(fsyncs(registry, "segment")).isEqualTo(segments.size());
                assertThat(fsyncs(registry, "directory")).isEqualTo(segments.size());
                assertThat(fsyncs(registry, "sidecar")).isEqualTo(segments.size());
            }
            case SEGMENT -> {
                assertThat(fsyncs(registry, "fragment")).isZero();
                assertThat(fsyncs(registry, "segment")).isEqualTo(segments.size());
                assertThat(fsyncs(registry, "directory")).isEqualTo(segments.size());
                assertThat(fsyncs(registry, "sidecar")).isEqualTo(segments.size());
            }
            case NONE -> assertThat(registry.find("tunnelcast.archive.fsync").timers()).isEmpty();
            default -> throw new AssertionError("no expectation for " + policy);
        }
        Timer writes = registry.find("tunnelcast.archive.packet.write").timer();
        assertThat(writes).isNotNull();
        assertThat(writes.count()).isEqualTo((long) registry.find("tunnelcast.archive.packets.written").counter().count());
    }

    private static long fsyncs(SimpleMeterRegistry registry, String what) {
        Timer timer = registry.find("tunnelcast.archive.fsync").tag("what", what).timer();
        return timer == null ? 0 : timer.count();
    }
}
