package dev.tunnelcast.server.cluster;

import static dev.tunnelcast.server.cluster.ClusterClients.awaitGauge;
import static dev.tunnelcast.server.cluster.ClusterClients.deleteRecursively;
import static dev.tunnelcast.server.cluster.ClusterClients.player;
import static dev.tunnelcast.server.cluster.ClusterClients.publisher;
import static dev.tunnelcast.server.testing.Messages.AUDIO;
import static dev.tunnelcast.server.testing.Messages.VIDEO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.server.testing.Conditions;
import dev.tunnelcast.server.testing.LayeredPublisher;
import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.WsClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three relay nodes, each its own JVM, joined by a real nats-server (JetStream on, user and
 * password): streams published on one node play on the others byte for byte, the directory
 * spans the cluster, a wrong password keeps a node out, players and publishers of a killed node
 * carry on through another, and a NATS restart degrades and heals.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {

    private static final Duration DEADLINE = ClusterClients.DEADLINE;
    private static final Path DIR = Path.of("target", "cluster-test");

    static NatsServer nats;
    static RelayNode node1;
    static RelayNode node2;
    static RelayNode node3;

    @BeforeAll
    static void start() throws Exception {
        deleteRecursively(DIR);
        nats = NatsServer.start(DIR.resolve("nats"));
        node1 = node("n1");
        node2 = node("n2");
        node3 = node("n3");
    }

    private static RelayNode node(String name) throws Exception {
        return RelayNode.start(DIR.resolve(name + ".log"), "--cluster", nats.url(), "--node-name", name,
                "--cluster-user", NatsServer.USER, "--cluster-password", NatsServer.PASSWORD, "--grace-period", "30s");
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
    void playersOnOtherNodesGetThePublishersBytesInOrder() throws Exception {
        String stream = "hall.stage"; // a '.' in the name: escaped in subjects and keys
        try (WsClient onNode2 = player(node2.playUri(stream)); WsClient onNode3 = player(node3.playUri(stream))) {
            awaitGauge(node2, "tunnelcast_cluster_remote_streams", 1);
            awaitGauge(node3, "tunnelcast_cluster_remote_streams", 1);
            List<byte[]> sent = new ArrayList<>();
            sent.add(Messages.videoConfig(VIDEO).toByteArray());
            sent.add(Messages.audioConfig(AUDIO).toByteArray());
            for (int i = 0; i < 150; i++) {
                sent.add(Messages.packet(VIDEO, i, i % 30 == 0, 2000 + i * 37).toByteArray());
                sent.add(Messages.packet(AUDIO, i, false, 160).toByteArray());
            }
            try (WsClient publisher = publisher(node1.publishUri(stream))) {
                sent.forEach(publisher::sendBytes);
                for (WsClient player : List.of(onNode2, onNode3)) {
                    List<byte[]> received = media(player, sent.size());
                    for (int i = 0; i < sent.size(); i++) {
                        assertThat(received.get(i)).as("message %d", i).isEqualTo(sent.get(i));
                    }
                }
                // The directory counts players per node: node 1 has none of its own stream, nodes 2 and 3 one each.
                Conditions.await("node 1 lists the players of nodes 2 and 3", DEADLINE, () -> node1.poll("/api/streams"),
                        body -> body.contains("\"name\":\"hall.stage\"")
                                && body.contains("\"playersByNode\":{\"n2\":1,\"n3\":1}"));
                // A count that changes is written again: node 3's last player leaves (its key is deleted).
                onNode3.close();
                Conditions.await("node 1 lists node 2's player only", DEADLINE, () -> node1.poll("/api/streams"),
                        body -> body.contains("\"playersByNode\":{\"n2\":1}"));
            }
        }
        String metrics = node1.get("/metrics");
        assertThat(metrics).containsPattern("tunnelcast_cluster_messages_total\\{direction=\"out\"\\} [1-9]");
        assertThat(node2.get("/metrics")).containsPattern("tunnelcast_cluster_bytes_total\\{direction=\"in\"\\} [1-9]");
    }

    @Test
    @Order(2)
    void aLateJoinerOnAnotherNodeStartsAtAKeyframe() throws Exception {
        String stream = "late";
        try (WsClient publisher = publisher(node1.publishUri(stream))) {
            publisher.send(Messages.videoConfig(VIDEO));
            publisher.send(Messages.audioConfig(AUDIO));
            long sequence = 0;
            for (; sequence < 60; sequence++) { // well into a GOP of 50
                publisher.send(Messages.packet(VIDEO, sequence, sequence % 50 == 0, 1500));
                publisher.send(Messages.packet(AUDIO, sequence, false, 160));
            }
            try (WsClient late = player(node3.playUri(stream))) {
                boolean keyframeAsked = false;
                long deadline = System.nanoTime() + DEADLINE.toNanos();
                List<Envelope> video = new ArrayList<>();
                boolean configSeen = false;
                while (video.size() < 20) {
                    assertThat(System.nanoTime()).as("20 video packets on node 3 in time").isLessThan(deadline);
                    // The publisher answers the keyframe request that node 3 sends it over NATS.
                    boolean asked = publisher.drain().stream().anyMatch(r -> r.envelope().hasKeyframeRequest());
                    keyframeAsked |= asked;
                    publisher.send(Messages.packet(VIDEO, sequence, asked || sequence % 50 == 0, 1500));
                    publisher.send(Messages.packet(AUDIO, sequence, false, 160));
                    sequence++;
                    for (WsClient.Received r : late.drain()) {
                        if (r.envelope().hasTrackConfig()) {
                            configSeen = true;
                        } else if (r.envelope().hasMediaPacket() && r.envelope().getMediaPacket().getTrackId() == VIDEO) {
                            assertThat(configSeen).as("TrackConfigs before media").isTrue();
                            video.add(r.envelope());
                        }
                    }
                    Thread.sleep(20);
                }
                assertThat(keyframeAsked).as("node 3's keyframe request reached the publisher on node 1").isTrue();
                assertThat(video.get(0).getMediaPacket().getKeyframe()).as("first video packet is a keyframe").isTrue();
                for (int i = 1; i < video.size(); i++) {
                    assertThat(video.get(i).getMediaPacket().getSequence())
                            .isEqualTo(video.get(i - 1).getMediaPacket().getSequence() + 1);
                }
            }
        }
    }

    @Test
    @Order(2)
    void layersOfASimulcastStreamReachPlayersOnAnotherNodeWhoChooseTheirOwn() throws Exception {
        String stream = "layers";
        try (WsClient publisherSocket = publisher(node1.publishUri(stream))) {
            LayeredPublisher publisher = new LayeredPublisher(publisherSocket);
            publisher.frames(15); // a node joining now gets every layer's config from node 1's snapshot
            try (WsClient top = player(node2.playUri(stream)); WsClient low = player(URI.create(node3.playUri(stream) + "?quality=180p"))) {
                Map<WsClient, List<MediaPacket>> video = new HashMap<>(Map.of(top, new ArrayList<>(), low, new ArrayList<>()));
                Map<WsClient, List<Integer>> heights = new HashMap<>(Map.of(top, new ArrayList<>(), low, new ArrayList<>()));
                long deadline = System.nanoTime() + DEADLINE.toNanos();
                while (video.values().stream().anyMatch(v -> v.size() < 2 * LayeredPublisher.GOP_FRAMES)) {
                    assertThat(System.nanoTime()).as("two GOPs on nodes 2 and 3 in time").isLessThan(deadline);
                    publisher.frames(1);
                    Thread.sleep(20);
                    for (WsClient player : List.of(top, low)) {
                        for (WsClient.Received r : player.drain()) {
                            Envelope e = r.envelope();
                            if (e.hasTrackConfig() && e.getTrackConfig().getTrackId() == VIDEO) {
                                heights.get(player).add(e.getTrackConfig().getHeight());
                            } else if (e.hasMediaPacket() && e.getMediaPacket().getTrackId() == VIDEO) {
                                video.get(player).add(e.getMediaPacket());
                            }
                        }
                    }
                }
                assertThat(heights.get(top)).containsOnly(720);
                assertThat(heights.get(low)).containsOnly(180);
                assertThat(video.get(top)).allMatch(p -> p.getLayer() == 0);
                assertThat(video.get(low)).allMatch(p -> p.getLayer() == 2);
                for (List<MediaPacket> packets : video.values()) {
                    assertThat(packets.get(0).getKeyframe()).as("first video packet is a keyframe").isTrue();
                }
            }
        }
    }

    @Test
    @Order(3)
    void theDirectorySpansTheClusterAndRefusesASecondPublisherAnywhere() throws Exception {
        String stream = "solo";
        try (WsClient first = publisher(node1.publishUri(stream))) {
            Conditions.await("node 3 lists the stream of node 1", DEADLINE, () -> node3.poll("/api/streams"),
                    body -> body.contains("\"name\":\"solo\"") && body.contains("cluster node n1"));
            try (WsClient second = WsClient.connect(node2.publishUri(stream))) {
                second.send(Messages.hello(Role.ROLE_PUBLISHER));
                WsClient.Closed closed = second.awaitClose(DEADLINE);
                assertThat(closed.code()).isEqualTo(4409);
                assertThat(second.drain()).anySatisfy(r -> assertThat(r.envelope().getStatus().getMessage())
                        .contains("already has a publisher (on cluster node n1)"));
            }
            first.closeAndAwait();
        }
        // The first publisher left: its entry went with it, so node 2 may publish the stream now.
        Conditions.await("node 2 accepts a publisher of solo", DEADLINE, () -> {
            try (WsClient again = WsClient.connect(node2.publishUri(stream))) {
                again.send(Messages.hello(Role.ROLE_PUBLISHER));
                return again.next(DEADLINE).envelope().getKindCase();
            }
        }, kind -> kind == Envelope.KindCase.WELCOME);
    }

    @Test
    @Order(4)
    void aNodeWithTheWrongPasswordDoesNotJoinAndSaysWhy() throws Exception {
        Path log = DIR.resolve("intruder.log");
        int exit = RelayNode.runToExit(log, "--cluster", nats.url(), "--node-name", "intruder",
                "--cluster-user", NatsServer.USER, "--cluster-password", "wrong");
        assertThat(exit).isNotZero();
        assertThat(Files.readString(log)).contains("cannot join the cluster at " + nats.url())
                .containsIgnoringCase("authorization violation");
    }

    @Test
    @Order(7) // it restarts NATS
    void withoutNatsLocalStreamsKeepPlayingAndTheNodesRejoin() throws Exception {
        String stream = "steady";
        try (WsClient publisher = publisher(node3.publishUri(stream));
             WsClient local = player(node3.playUri(stream));
             WsClient remote = player(node2.playUri(stream))) {
            awaitGauge(node2, "tunnelcast_cluster_remote_streams", 1);
            publisher.send(Messages.videoConfig(VIDEO));
            long sequence = 0;
            sequence = sendUntilVideo(publisher, sequence, remote, 0);
            nats.stop();
            Conditions.await("node 3 reports the cluster degraded", DEADLINE, () -> node3.poll("/healthz"),
                    body -> body.startsWith("ok\n") && body.contains("cluster: degraded"));
            assertThat(node3.get("/metrics")).containsPattern("(?m)^tunnelcast_cluster_connected(\\{\\})? 0\\.0$");
            local.drain();
            long outage = sequence;
            sequence = sendUntilVideo(publisher, sequence, local, outage); // the local player keeps playing
            nats.start();
            for (RelayNode node : List.of(node2, node3)) {
                Conditions.await("the node rejoins", DEADLINE, () -> node.poll("/healthz"),
                        body -> body.contains("cluster: connected"));
            }
            assertThat(node3.get("/metrics")).containsPattern("(?m)^tunnelcast_cluster_connected(\\{\\})? 1\\.0$");
            remote.drain();
            sendUntilVideo(publisher, sequence, remote, sequence); // node 2's player resumes (at a keyframe)
        }
        // The directory works again: a stream published on node 2 now shows on node 3.
        try (WsClient after = publisher(node2.publishUri("after-restart"))) {
            Conditions.await("node 3 lists node 2's new stream", DEADLINE, () -> node3.poll("/api/streams"),
                    body -> body.contains("\"name\":\"after-restart\"") && body.contains("cluster node n2"));
        }
    }

    @Test
    @Order(5)
    void theSamePublisherInstanceThroughAnotherNodeTakesItsStreamOver() throws Exception {
        String stream = "hop";
        String instance = "agent-instance-0002";
        try (WsClient viewer = player(node3.playUri(stream));
             WsClient first = publisher(node1.publishUri(stream), instance)) {
            awaitGauge(node3, "tunnelcast_cluster_remote_streams", 1);
            first.send(Messages.videoConfig(VIDEO));
            long sequence = sendUntilVideo(first, 0, viewer, 0);
            try (WsClient second = publisher(node2.publishUri(stream), instance)) {
                assertThat(first.awaitClose(DEADLINE).code()).as("the old connection on node 1").isEqualTo(4411);
                second.send(Messages.videoConfig(VIDEO));
                sendUntilVideo(second, sequence, viewer, sequence);
            }
        }
    }

    @Test
    @Order(6)
    void whenThePublishersNodeIsKilledThePublisherComesBackThroughAnotherNodeAndPlayersResume() throws Exception {
        String stream = "moving";
        String instance = "agent-instance-0001";
        try (WsClient viewer = player(node3.playUri(stream))) {
            awaitGauge(node3, "tunnelcast_cluster_remote_streams", 1);
            long sequence;
            try (WsClient first = publisher(node1.publishUri(stream), instance)) {
                first.send(Messages.videoConfig(VIDEO));
                sequence = sendUntilVideo(first, 0, viewer, 0);
                node1.kill9(); // no offline event, no directory delete: the entry of n1 stays until its TTL
                first.abort();
            }
            // The same instance is granted at once on node 2 (not after the TTL), and node 3's viewer resumes.
            try (WsClient second = publisher(node2.publishUri(stream), instance)) {
                second.send(Messages.videoConfig(VIDEO));
                sendUntilVideo(second, sequence, viewer, sequence);
            }
        }
    }

    @Test
    @Order(8) // last: it kills node 2 for good (node 1 is gone since order 6)
    void whenAPlayersNodeIsKilledThePlayerMovesToTheNextRelayInItsListAndResumesAtAKeyframe() throws Exception {
        String stream = "survivor";
        try (RelayNode node4 = node("n4");
             PacedPublisher publisher = new PacedPublisher(publisher(node3.publishUri(stream)))) {
            // The player's relay list, as `?relays=` (web player) or `--relay` (agent) gives it: node 2, then node 4,
            // both receiving the stream of node 3 over NATS. Choosing the next URL is the clients' (RelayRotation,
            // relay-list.js, unit-tested there); this test checks what the cluster does for a player that moves.
            List<RelayNode> relays = List.of(node2, node4);
            try (WsClient onNode2 = player(relays.get(0).playUri(stream))) {
                long lastBeforeKill = video(onNode2, 5).get(4).getSequence();
                long killedAt = System.nanoTime();
                node2.kill9();
                assertThat(onNode2.awaitCloseProbing(DEADLINE, Duration.ofSeconds(2)).code()).as("node 2's player lost its connection")
                        .isEqualTo(1006);
                try (WsClient onNode4 = player(relays.get(1).playUri(stream))) {
                    List<MediaPacket> resumed = video(onNode4, 20);
                    long resumedMillis = (System.nanoTime() - killedAt) / 1_000_000;
                    System.out.printf("ClusterTest: kill -9 of node 2 -> first video on node 4: %d ms%n", resumedMillis);
                    assertThat(resumed.get(0).getKeyframe()).as("resumes at a keyframe").isTrue();
                    assertThat(resumed.get(0).getSequence()).as("newer than what node 2 delivered")
                            .isGreaterThan(lastBeforeKill);
                    for (int i = 1; i < resumed.size(); i++) {
                        assertThat(resumed.get(i).getSequence()).as("stamps advance, none lost")
                                .isEqualTo(resumed.get(i - 1).getSequence() + 1);
                        assertThat(resumed.get(i).getPtsMicros()).isGreaterThan(resumed.get(i - 1).getPtsMicros());
                    }
                }
            }
        }
    }

    /** The next {@code count} video packets {@code player} receives (configs and audio skipped). */
    private static List<MediaPacket> video(WsClient player, int count) {
        List<MediaPacket> out = new ArrayList<>();
        while (out.size() < count) {
            Envelope e = player.next(DEADLINE).envelope();
            if (e.hasMediaPacket() && e.getMediaPacket().getTrackId() == VIDEO) {
                out.add(e.getMediaPacket());
            }
        }
        return out;
    }

    /**
     * Sends video (a keyframe every 10 packets, or when asked) every 20 ms until {@code player}
     * receives a video packet of sequence at least {@code from}; returns the next sequence.
     */
    private static long sendUntilVideo(WsClient publisher, long sequence, WsClient player, long from) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            assertThat(System.nanoTime()).as("video %d or later reached the player in time", from).isLessThan(deadline);
            boolean asked = publisher.drain().stream().anyMatch(r -> r.envelope().hasKeyframeRequest());
            publisher.send(Messages.packet(VIDEO, sequence, asked || sequence % 10 == 0, 1200));
            sequence++;
            for (WsClient.Received r : player.drain()) {
                if (r.envelope().hasMediaPacket() && r.envelope().getMediaPacket().getSequence() >= from) {
                    return sequence;
                }
            }
            Thread.sleep(20);
        }
    }

    private static List<byte[]> media(WsClient player, int count) {
        List<byte[]> out = new ArrayList<>();
        while (out.size() < count) {
            WsClient.Received r = player.next(DEADLINE);
            if (r.envelope().hasTrackConfig() || r.envelope().hasMediaPacket()) {
                out.add(r.bytes());
            }
        }
        return out;
    }
}
