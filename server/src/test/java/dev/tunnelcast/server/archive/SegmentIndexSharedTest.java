package dev.tunnelcast.server.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster node's index on shared storage: it owns the segments that name it, and reads the
 * others' from the folder again when asked (at most once per refresh interval), adding new ones,
 * replacing changed ones and forgetting deleted ones, never touching its own.
 */
class SegmentIndexSharedTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static SegmentInfo segment(String id, String node, SegmentInfo.State state) {
        return new SegmentInfo(id, "cam1", "s1", state, SegmentInfo.Handoff.NOT_REQUIRED, 1_000_000, 2_000_000,
                1_000_000, 1000, List.of("avc1.42C01F"), 30, 50, null, node);
    }

    /** Another node writes (or rewrites) its sidecar into the shared folder. */
    private void writtenByAnotherNode(SegmentInfo info) throws Exception {
        Path sidecar = dir.resolve(info.stream()).resolve(info.id() + ".json");
        Files.createDirectories(sidecar.getParent());
        Files.write(sidecar, JSON.writeValueAsBytes(info));
    }

    @Test
    void otherNodesSegmentsAreListedAfterARefreshButNotOwned() throws Exception {
        SegmentIndex index = SegmentIndex.load(dir, "n1");
        SegmentInfo mine = segment("20261203T100000000Z-n1-r1", "n1", SegmentInfo.State.CLOSED);
        index.put(mine);
        SegmentInfo theirs = segment("20261203T100001000Z-n2-r2", "n2", SegmentInfo.State.RECORDING);
        writtenByAnotherNode(theirs);
        assertThat(index.list("cam1", 0, Long.MAX_VALUE)).as("not read yet").containsExactly(mine);

        index.refreshOthers("cam1");
        assertThat(index.list("cam1", 0, Long.MAX_VALUE)).containsExactlyInAnyOrder(mine, theirs);
        assertThat(index.own()).containsExactly(mine);
        assertThat(index.owns(theirs)).isFalse();

        // n2 finishes its segment, then another appears and the first is deleted by n2's retention
        SegmentInfo finished = theirs.finish(SegmentInfo.State.CLOSED, 900_000, 2000, 27, 45, "publisher-stopped");
        writtenByAnotherNode(finished);
        index.refreshOthers("cam1");
        assertThat(index.get("cam1", theirs.id())).as("within the interval: not read again").contains(theirs);
        Thread.sleep(SegmentIndex.REFRESH_INTERVAL.toMillis() + 100);
        index.refreshOthers("cam1");
        assertThat(index.get("cam1", theirs.id())).contains(finished);

        SegmentInfo next = segment("20261203T100005000Z-n2-r3", "n2", SegmentInfo.State.RECORDING);
        writtenByAnotherNode(next);
        Files.delete(dir.resolve("cam1").resolve(theirs.id() + ".json"));
        Thread.sleep(SegmentIndex.REFRESH_INTERVAL.toMillis() + 100);
        index.refreshOthers("cam1");
        assertThat(index.list("cam1", 0, Long.MAX_VALUE)).containsExactlyInAnyOrder(mine, next);
    }

    @Test
    void aRelayOnItsOwnNeverReadsTheFolderAgain() throws Exception {
        SegmentIndex index = SegmentIndex.load(dir);
        writtenByAnotherNode(segment("20261203T100001000Z-n2-r2", "n2", SegmentInfo.State.CLOSED));
        index.refreshOthers("cam1");
        assertThat(index.all()).isEmpty();
    }
}
