package dev.tunnelcast.server.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionPlanTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final long HOUR = 3_600_000_000L;
    private static final long NOW_MICROS = NOW.getEpochSecond() * 1_000_000L;

    private static SegmentInfo segment(String stream, int hoursAgo, long bytes, SegmentInfo.Handoff handoff) {
        long start = NOW_MICROS - hoursAgo * HOUR;
        return new SegmentInfo(String.format("2026112%dT%09dZ", hoursAgo % 10, hoursAgo), stream, "s",
                SegmentInfo.State.CLOSED, handoff, start, start + HOUR / 2, HOUR / 2, bytes, List.of("opus"), 0, 0, "rotation", null);
    }

    private static ArchiveConfig config(Duration age, long perStream, long total) {
        return ArchiveConfig.defaults(Path.of("unused")).withRetention(age, perStream, total);
    }

    @Test
    void deletesWhatIsOlderThanTheMaximumAge() {
        SegmentInfo old = segment("a", 30, 10, SegmentInfo.Handoff.NOT_REQUIRED);
        SegmentInfo recent = segment("a", 2, 10, SegmentInfo.Handoff.NOT_REQUIRED);
        assertThat(RetentionPlan.plan(List.of(old, recent), config(Duration.ofHours(24), 0, 0), NOW))
                .containsExactly(new RetentionPlan.Deletion(old, "max-age", false));
    }

    @Test
    void keepsTheNewestThatFitTheStreamLimit() {
        SegmentInfo a1 = segment("a", 5, 100, SegmentInfo.Handoff.DONE);
        SegmentInfo a2 = segment("a", 4, 100, SegmentInfo.Handoff.DONE);
        SegmentInfo a3 = segment("a", 3, 100, SegmentInfo.Handoff.DONE);
        SegmentInfo b1 = segment("b", 6, 100, SegmentInfo.Handoff.DONE);
        assertThat(RetentionPlan.plan(List.of(b1, a1, a2, a3), config(Duration.ZERO, 150, 0), NOW))
                .extracting(RetentionPlan.Deletion::segment).containsExactly(a1, a2);
    }

    @Test
    void neverDeletesASegmentAwaitingHandOffExceptForTheTotalLimitAndThenSaysSo() {
        SegmentInfo pending = segment("a", 50, 100, SegmentInfo.Handoff.PENDING);
        SegmentInfo done = segment("a", 40, 100, SegmentInfo.Handoff.DONE);
        SegmentInfo newest = segment("a", 1, 100, SegmentInfo.Handoff.DONE);
        List<SegmentInfo> all = List.of(pending, done, newest);
        // age and per-stream limits skip the pending one
        assertThat(RetentionPlan.plan(all, config(Duration.ofHours(24), 100, 0), NOW)).containsExactly(
                new RetentionPlan.Deletion(done, "max-age", false),
                new RetentionPlan.Deletion(newest, "max-bytes-per-stream", false));
    }

    @Test
    void theTotalLimitPrefersHandedOffSegmentsAndForcesOnlyWhenItMust() {
        SegmentInfo pending = segment("a", 50, 100, SegmentInfo.Handoff.PENDING);
        SegmentInfo done = segment("b", 40, 100, SegmentInfo.Handoff.DONE);
        SegmentInfo newest = segment("a", 1, 100, SegmentInfo.Handoff.DONE);
        List<SegmentInfo> all = List.of(pending, done, newest);
        assertThat(RetentionPlan.plan(all, config(Duration.ZERO, 0, 200), NOW))
                .containsExactly(new RetentionPlan.Deletion(done, "max-total-bytes", false));
        assertThat(RetentionPlan.plan(all, config(Duration.ZERO, 0, 100), NOW)).containsExactly(
                new RetentionPlan.Deletion(done, "max-total-bytes", false),
                new RetentionPlan.Deletion(newest, "max-total-bytes", false));
        assertThat(RetentionPlan.plan(all, config(Duration.ZERO, 0, 50), NOW)).containsExactly(
                new RetentionPlan.Deletion(done, "max-total-bytes", false),
                new RetentionPlan.Deletion(newest, "max-total-bytes", false),
                new RetentionPlan.Deletion(pending, "max-total-bytes", true));
    }

    @Test
    void aSegmentBeingRecordedIsNeverDeleted() {
        SegmentInfo recording = new SegmentInfo("20261121T000000000Z", "a", "s", SegmentInfo.State.RECORDING,
                SegmentInfo.Handoff.NOT_REQUIRED, 0, 0, 0, 1_000, List.of(), 0, 0, null, null);
        assertThat(RetentionPlan.plan(List.of(recording), config(Duration.ofHours(1), 1, 1), NOW)).isEmpty();
    }
}
