package dev.tunnelcast.server.cluster;

import static dev.tunnelcast.server.cluster.ClusterClients.DEADLINE;
import static dev.tunnelcast.server.cluster.ClusterClients.awaitGauge;
import static dev.tunnelcast.server.cluster.ClusterClients.deleteRecursively;
import static dev.tunnelcast.server.cluster.ClusterClients.player;
import static dev.tunnelcast.server.cluster.ClusterClients.publisher;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunnelcast.server.archive.MediaFixture;
import dev.tunnelcast.server.cluster.PacedMedia.SentFrame;
import dev.tunnelcast.server.testing.Conditions;
import dev.tunnelcast.server.testing.WsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One recorder per stream across the cluster: three relay nodes (own JVMs) on one real
 * nats-server record into one shared folder, as on shared storage, while real H.264 + Opus
 * is published at its own pace. Whatever the number of nodes playing a stream, only the node
 * holding the stream's recorder lease records it; the lease follows the publisher to another
 * node, ending the old segment as "recorder lease lost" before the new one starts; a holder
 * cut off from NATS past the lease stops recording and takes it back when NATS returns; and the
 * lease moves after kill -9 of the recording node. The recordings are read from the shared folder.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecorderLeaseClusterTest {

    private static final Path DIR = Path.of("target", "recorder-lease-test");
    private static final Path RECORDINGS = DIR.resolve("recordings");
    private static final Pattern LEASE_REVISION = Pattern.compile("-r(\\d+)$");
    private static final Pattern PACKETS_WRITTEN =
            Pattern.compile("(?m)^tunnelcast_archive_packets_written_total(?:\\{\\})? ([0-9.E]+)$");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Packets (video and audio) a node must have written before the test moves on: about a second and a half. */
    private static final int SOME_PACKETS = 120;

    static MediaFixture media;
    static NatsServer nats;
    static RelayNode node1;
    static RelayNode node2;
    static RelayNode node3;

    @BeforeAll
    static void start() throws Exception {
        deleteRecursively(DIR);
        media = MediaFixture.generate(10, 15); // a keyframe every half second
        nats = NatsServer.start(DIR.resolve("nats"));
        node1 = node("n1");
        node2 = node("n2");
        node3 = node("n3");
    }

    private static RelayNode node(String name) throws Exception {
        return RelayNode.start(DIR.resolve(name + ".log"), "--cluster", nats.url(), "--node-name", name,
                "--cluster-user", NatsServer.USER, "--cluster-password", NatsServer.PASSWORD,
                "--record-dir", RECORDINGS.toString(), "--cluster-recorder-lease", "3s");
    }

    @AfterAll
    static void stop() throws Exception {
        for (RelayNode node : new RelayNode[] {node1, node2, node3}) {
            if (node != null) {
                node.close();
            }
        }
        if (nats != null) {
            nats.close();
        }
    }

    @Test
    @Order(1)
    void aStreamPlayedOnThreeNodesIsRecordedOnlyByThePublishersNode() throws Exception {
        String stream = "lease-steady";
        try (WsClient onNode2 = player(node2.playUri(stream)); WsClient onNode3 = player(node3.playUri(stream))) {
            awaitGauge(node2, "tunnelcast_cluster_remote_streams", 1);
            awaitGauge(node3, "tunnelcast_cluster_remote_streams", 1);
            WsClient publisher = publisher(node1.publishUri(stream));
            double written = packetsWritten(node1);
            PacedMedia sender = new PacedMedia(media, publisher);
            int sentWhenLeased;
            try (sender) {
                awaitGauge(node1, "tunnelcast_cluster_recorder_leases", 1);
                sentWhenLeased = sender.sentVideo().size();
                for (WsClient player : List.of(onNode2, onNode3)) {
                    for (int i = 0; i < 45; i++) { // 1.5 s of video played on the other nodes
                        player.nextMatching(e -> e.hasMediaPacket() && e.getMediaPacket().getTrackId() == 1);
                    }
                }
                awaitPacketsWritten(node1, written + SOME_PACKETS);
            }
            publisher.closeAndAwait();
            List<JsonNode> segments = awaitSegments(stream, list -> !list.isEmpty() && list.stream().allMatch(s -> closed(s)));
            assertThat(segments).hasSize(1).allSatisfy(s -> {
                assertThat(s.path("node").asText()).isEqualTo("n1");
                assertThat(s.path("id").asText()).containsPattern("-n1-r\\d+$");
            });
            List<SentFrame> sent = sender.sentVideo();
            RecordedVideo recorded = recordedVideo(stream, segments.get(0), sent);
            assertThat(recorded.first()).as("recording from the first keyframe after the lease was taken")
                    .isLessThanOrEqualTo(firstKeyframeFrom(sent, sentWhenLeased));
            assertThat(recorded.end()).as("every frame up to the publisher's last").isEqualTo(sent.size());
        }
        awaitGauge(node1, "tunnelcast_cluster_recorder_leases", 0); // given back when the publisher left
        for (RelayNode other : List.of(node2, node3)) {
            assertThat(other.get("/metrics")).containsPattern("(?m)^tunnelcast_archive_segments_opened_total(\\{\\})? 0\\.0$");
        }
    }

    @Test
    @Order(2)
    void thePublisherMovingToAnotherNodeMovesTheRecordingWithoutOverlap() throws Exception {
        String stream = "lease-hop";
        String instance = "agent-instance-lease-1";
        WsClient first = publisher(node1.publishUri(stream), instance);
        WsClient second;
        double writtenOnNode1 = packetsWritten(node1);
        double writtenOnNode2 = packetsWritten(node2);
        PacedMedia sender = new PacedMedia(media, first);
        int keyframeAfterPause;
        try (sender) {
            awaitSegments(stream, list -> list.size() == 1 && node(list.get(0)).equals("n1"));
            awaitPacketsWritten(node1, writtenOnNode1 + SOME_PACKETS);
            sender.pause(PacedMedia.PausePoint.BEFORE_KEYFRAME);
            keyframeAfterPause = sender.sentVideo().size();
            second = publisher(node2.publishUri(stream), instance); // the same agent, through node 2
            assertThat(first.awaitClose(DEADLINE).code()).as("the old connection on node 1").isEqualTo(4411);
            List<JsonNode> ended = awaitSegments(stream, list -> list.size() == 1 && closed(list.get(0)));
            assertThat(ended.get(0).path("closeReason").asText()).isEqualTo("recorder lease lost");
            sender.resumeOn(second);
            awaitSegments(stream, list -> list.size() == 2);
            awaitPacketsWritten(node2, writtenOnNode2 + SOME_PACKETS);
        }
        second.closeAndAwait();
        List<JsonNode> segments = awaitSegments(stream, list -> list.size() == 2 && list.stream().allMatch(s -> closed(s)));
        JsonNode onNode1 = segments.stream().filter(s -> node(s).equals("n1")).findFirst().orElseThrow();
        JsonNode onNode2 = segments.stream().filter(s -> node(s).equals("n2")).findFirst().orElseThrow();
        assertThat(onNode2.path("startWallMicros").asLong()).as("node 2 starts after node 1's segment ended")
                .isGreaterThanOrEqualTo(onNode1.path("endWallMicros").asLong());
        assertThat(revision(onNode2)).as("a newer lease").isGreaterThan(revision(onNode1));
        List<SentFrame> sent = sender.sentVideo();
        RecordedVideo before = recordedVideo(stream, onNode1, sent);
        RecordedVideo after = recordedVideo(stream, onNode2, sent);
        // What node 1 had in flight when node 2 took the lease may be cut from its segment; nothing after is.
        assertThat(before.end()).as("node 1's segment ends before the hand-over").isLessThanOrEqualTo(keyframeAfterPause);
        assertThat(after.first()).as("node 2 records from the first keyframe it got").isEqualTo(keyframeAfterPause);
        assertThat(after.end()).as("node 2 records every frame up to the publisher's last").isEqualTo(sent.size());
        System.out.printf("RecorderLeaseClusterTest: at the hand-over node 1's segment lacks the last %d of the %d"
                + " frames sent to it%n", keyframeAfterPause - before.end(), keyframeAfterPause - before.first());

        // Node 3 recorded none of it, yet its recordings API lists both nodes' segments from the shared
        // folder and serves their files.
        JsonNode listed = JSON.readTree(node3.get("/api/streams/" + stream + "/recordings"));
        assertThat(listed.findValuesAsText("id")).as("node 3 lists the cluster's segments")
                .containsExactlyInAnyOrder(onNode1.path("id").asText(), onNode2.path("id").asText());
        Path file = RECORDINGS.resolve(stream).resolve(onNode2.path("id").asText() + ".mp4");
        assertThat(node3.getBytes("/api/streams/" + stream + "/recordings/" + onNode2.path("id").asText()))
                .as("node 2's file, served by node 3").isEqualTo(Files.readAllBytes(file));
        assertThat(node1.get("/metrics"))
                .containsPattern("(?m)^tunnelcast_cluster_recorder_lease_lost_total(\\{\\})? 1\\.0$");
    }

    @Test
    @Order(3) // it stops NATS for longer than the lease
    void aHolderWhoseNatsStaysAwayPastTheLeaseStopsRecordingThenTakesItBack() throws Exception {
        String stream = "lease-outage";
        WsClient publisher = publisher(node1.publishUri(stream));
        double written = packetsWritten(node1);
        double lost = counter(node1, "tunnelcast_cluster_recorder_lease_lost_total");
        try (PacedMedia sender = new PacedMedia(media, publisher)) {
            awaitSegments(stream, list -> list.size() == 1 && node(list.get(0)).equals("n1"));
            awaitPacketsWritten(node1, written + SOME_PACKETS);
            nats.stop();
            try {
                // Its publisher stays and sends on, but after the lease ran out by its own clock the node
                // may no longer record: its segment ends while NATS is still away.
                List<JsonNode> ended = awaitSegments(stream, list -> list.size() == 1 && closed(list.get(0)));
                assertThat(ended.get(0).path("closeReason").asText()).isEqualTo("recorder lease lost");
                awaitGauge(node1, "tunnelcast_cluster_recorder_leases", 0);
                assertThat(counter(node1, "tunnelcast_cluster_recorder_lease_lost_total")).isEqualTo(lost + 1);
                assertThat(node1.get("/metrics")).as("still not connected: the segment ended by the node's clock")
                        .containsPattern("(?m)^tunnelcast_cluster_connected(\\{\\})? 0\\.0$");
            } finally {
                nats.start();
            }
            // NATS is back: the node takes the lease again (its own key, or expired) and records in a new segment.
            awaitGauge(node1, "tunnelcast_cluster_recorder_leases", 1);
            awaitSegments(stream, list -> list.size() == 2);
            awaitPacketsWritten(node1, packetsWritten(node1) + SOME_PACKETS);
        }
        publisher.closeAndAwait();
        List<JsonNode> segments = awaitSegments(stream, list -> list.size() == 2 && list.stream().allMatch(s -> closed(s)));
        assertThat(segments).allSatisfy(s -> assertThat(node(s)).isEqualTo("n1"));
        assertThat(segments.get(1).path("startWallMicros").asLong()).as("the new segment starts after the old one ended")
                .isGreaterThanOrEqualTo(segments.get(0).path("endWallMicros").asLong());
        assertThat(revision(segments.get(1))).as("a newer lease").isGreaterThan(revision(segments.get(0)));
    }

    @Test
    @Order(4) // last: it kills node 2
    void afterKill9OfTheRecordingNodeThePublisherComingBackThroughAnotherNodeIsRecordedThere() throws Exception {
        String stream = "lease-survivor";
        String instance = "agent-instance-lease-2";
        WsClient first = publisher(node2.publishUri(stream), instance);
        WsClient second;
        double writtenOnNode2 = packetsWritten(node2);
        double writtenOnNode3 = packetsWritten(node3);
        PacedMedia sender = new PacedMedia(media, first);
        int sentBeforeKill;
        int sentWhenNode3Leased;
        try (sender) {
            awaitSegments(stream, list -> list.size() == 1 && node(list.get(0)).equals("n2"));
            awaitPacketsWritten(node2, writtenOnNode2 + SOME_PACKETS);
            sender.pause(PacedMedia.PausePoint.AFTER_KEYFRAME); // node 3 gets the middle of a GOP first
            sentBeforeKill = sender.sentVideo().size();
            node2.kill9();
            first.abort();
            second = publisher(node3.publishUri(stream), instance);
            sender.resumeOn(second);
            awaitGauge(node3, "tunnelcast_cluster_recorder_leases", 1);
            sentWhenNode3Leased = sender.sentVideo().size();
            awaitSegments(stream, list -> list.size() == 2);
            awaitPacketsWritten(node3, writtenOnNode3 + SOME_PACKETS);
        }
        second.closeAndAwait();
        List<JsonNode> segments = awaitSegments(stream, list -> list.size() == 2
                && list.stream().filter(s -> node(s).equals("n3")).allMatch(s -> closed(s)));
        JsonNode onNode2 = segments.stream().filter(s -> node(s).equals("n2")).findFirst().orElseThrow();
        JsonNode onNode3 = segments.stream().filter(s -> node(s).equals("n3")).findFirst().orElseThrow();
        assertThat(onNode2.path("state").asText()).as("node 3 leaves node 2's unfinished segment alone")
                .isEqualTo("RECORDING");
        assertThat(onNode3.path("videoFrames").asLong()).isPositive();
        assertThat(node3.get("/metrics")).as("node 3 waited for a keyframe")
                .containsPattern("tunnelcast_archive_packets_discarded_total\\{reason=\"waiting-for-keyframe\"\\} [1-9]");
        List<SentFrame> sent = sender.sentVideo();
        RecordedVideo recorded = recordedVideo(stream, onNode3, sent);
        assertThat(recorded.count()).isEqualTo(onNode3.path("videoFrames").asLong());
        assertThat(recorded.first()).as("node 3 records from a keyframe it got, the first after it took the lease")
                .isGreaterThanOrEqualTo(sentBeforeKill)
                .isLessThanOrEqualTo(firstKeyframeFrom(sent, sentWhenNode3Leased));
        assertThat(recorded.end()).as("node 3 records every frame up to the publisher's last").isEqualTo(sent.size());
    }

    private static String node(JsonNode segment) {
        return segment.path("node").asText();
    }

    private static boolean closed(JsonNode segment) {
        return segment.path("state").asText().equals("CLOSED");
    }

    private static long revision(JsonNode segment) {
        Matcher m = LEASE_REVISION.matcher(segment.path("id").asText());
        assertThat(m.find()).as("lease revision in %s", segment.path("id").asText()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static void awaitPacketsWritten(RelayNode node, double packets) {
        Conditions.await(packets + " packets recorded by " + node.log(), DEADLINE, () -> packetsWritten(node),
                written -> written >= packets);
    }

    /** {@code node}'s unlabelled counter {@code name} (0 before its first count). */
    private static double counter(RelayNode node, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{\\})? ([0-9.E]+)$").matcher(node.poll("/metrics"));
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** The packets {@code node} has recorded so far, of all streams. */
    private static double packetsWritten(RelayNode node) {
        Matcher m = PACKETS_WRITTEN.matcher(node.poll("/metrics"));
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    /** The sidecars of {@code stream} in the shared folder, in id order, once {@code done} holds for them. */
    private static List<JsonNode> awaitSegments(String stream, Predicate<List<JsonNode>> done) {
        return Conditions.await("segments of " + stream, DEADLINE, () -> segments(stream), done);
    }

    private static List<JsonNode> segments(String stream) {
        Path dir = RECORDINGS.resolve(stream);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<JsonNode> out = new ArrayList<>();
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                try {
                    out.add(JSON.readTree(file.toFile()));
                } catch (IOException replacedMeanwhile) {
                    return List.of(); // read again at the next poll
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where {@code segment}'s video sits in what the sender sent (ffprobe on the shared folder's file). */
    private static RecordedVideo recordedVideo(String stream, JsonNode segment, List<SentFrame> sent) throws Exception {
        Path file = RECORDINGS.resolve(stream).resolve(segment.path("id").asText() + ".mp4");
        return RecordedVideo.locate(file, sent, segment.path("startWallMicros").asLong());
    }

    /** The index of the first keyframe sent at or after {@code index}. */
    private static int firstKeyframeFrom(List<SentFrame> sent, int index) {
        for (int i = index; i < sent.size(); i++) {
            if (sent.get(i).keyframe()) {
                return i;
            }
        }
        throw new AssertionError("no keyframe sent after frame " + index);
    }
}
