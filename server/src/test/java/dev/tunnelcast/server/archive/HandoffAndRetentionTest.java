package dev.tunnelcast.server.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandoffAndRetentionTest {

    private static final long WALL_START_MICROS = 1_790_000_000_000_000L;

    @TempDir
    Path dir;
    @TempDir
    Path work;

    private ArchiveConfig threeSecondSegments() {
        return ArchiveConfig.defaults(dir).withSegmentDuration(Duration.ofSeconds(3));
    }

    @Test
    void theCommandReceivesEverySegmentAndAFailureIsRetried() throws Exception {
        Path script = work.resolve("hook.sh");
        Files.writeString(script, """
                # fails the first attempt for every segment, then records what it got
                marker="%1$s/seen-$TUNNELCAST_SEGMENT_ID"
                if [ ! -e "$marker" ]; then touch "$marker"; exit 3; fi
                [ -s "$1" ] || exit 4
                echo "$TUNNELCAST_SEGMENT_ID $TUNNELCAST_STREAM $TUNNELCAST_STATE $1" >> "%1$s/received.txt"
                """.formatted(work));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Archive archive = Archive.start(threeSecondSegments().withHook(List.of("sh", script.toString()), null,
                Duration.ofMillis(20), Duration.ofMillis(100)), registry);
        try {
            MediaFixture.generate(10, 30).publish(archive.observer(), "cam1", "s1", WALL_START_MICROS);
            archive.observer().publisherStopped("cam1", "s1");
            Path received = work.resolve("received.txt");
            await(() -> lines(received).size() == 4);
            await(() -> archive.index().all().stream().allMatch(s -> s.handoff() == SegmentInfo.Handoff.DONE));

            List<SegmentInfo> segments = archive.index().all();
            assertThat(segments).hasSize(4);
            assertThat(lines(received)).containsExactlyInAnyOrderElementsOf(segments.stream()
                    .map(s -> s.id() + " cam1 CLOSED " + archive.index().mediaFile(s)).toList());
            assertThat(registry.get("tunnelcast.archive.hook.attempts").tag("result", "failure").counter().count()).isEqualTo(4);
            assertThat(registry.get("tunnelcast.archive.hook.attempts").tag("result", "success").counter().count()).isEqualTo(4);
            assertThat(registry.get("tunnelcast.archive.hook.pending").gauge().value()).isZero();
        } finally {
            archive.close();
        }
    }

    @Test
    void theWebhookGetsTheSegmentAsJsonAndIsRetriedUntilItAnswers2xx() throws Exception {
        List<JsonNode> posts = new CopyOnWriteArrayList<>();
        Set<String> refusedOnce = ConcurrentHashMap.newKeySet();
        Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(exchange -> {
            exchange.getRequestReceiver().receiveFullBytes((ex, body) -> {
                try {
                    JsonNode json = new ObjectMapper().readTree(body);
                    if (refusedOnce.add(json.path("id").asText())) {
                        ex.setStatusCode(503);
                    } else {
                        posts.add(json);
                        ex.setStatusCode(204);
                    }
                    ex.endExchange();
                } catch (java.io.IOException e) {
                    ex.setStatusCode(400);
                    ex.endExchange();
                }
            });
        }).build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        Archive archive = Archive.start(threeSecondSegments().withHook(List.of(),
                URI.create("http://127.0.0.1:" + port + "/segments"), Duration.ofMillis(20), Duration.ofMillis(100)),
                new SimpleMeterRegistry());
        try {
            MediaFixture.generate(10, 30).publish(archive.observer(), "cam1", "s1", WALL_START_MICROS);
            archive.observer().publisherStopped("cam1", "s1");
            await(() -> posts.size() == 4);
            await(() -> archive.index().all().stream().allMatch(s -> s.handoff() == SegmentInfo.Handoff.DONE));
            Map<String, JsonNode> byId = posts.stream().collect(Collectors.toMap(p -> p.path("id").asText(), p -> p));
            for (SegmentInfo s : archive.index().all()) {
                JsonNode post = byId.get(s.id());
                assertThat(post).as("POST for %s", s.id()).isNotNull();
                assertThat(post.path("stream").asText()).isEqualTo("cam1");
                assertThat(post.path("path").asText()).isEqualTo(archive.index().mediaFile(s).toString());
                assertThat(post.path("sizeBytes").asLong()).isEqualTo(s.sizeBytes()).isPositive();
                assertThat(post.path("videoFrames").asLong()).isEqualTo(s.videoFrames());
            }
        } finally {
            archive.close();
            server.stop();
        }
    }

    @Test
    void retentionRemovesTheOldestSegmentsButNotThoseAwaitingHandOff() throws Exception {
        Archive archive = Archive.start(threeSecondSegments(), new SimpleMeterRegistry());
        MediaFixture.generate(10, 30).publish(archive.observer(), "cam1", "s1", WALL_START_MICROS);
        archive.close();
        List<SegmentInfo> segments = archive.index().all();
        assertThat(segments).hasSize(4);
        long newestTwo = segments.get(2).sizeBytes() + segments.get(3).sizeBytes();

        Archive pruned = Archive.start(threeSecondSegments().withRetention(Duration.ZERO, newestTwo, 0), new SimpleMeterRegistry());
        pruned.close();
        pruned.enforceRetention();
        assertThat(pruned.index().all()).containsExactly(segments.get(2), segments.get(3));
        assertThat(archive.index().mediaFile(segments.get(0))).doesNotExist();
        assertThat(archive.index().mediaFile(segments.get(1))).doesNotExist();
        assertThat(dir.resolve("cam1").resolve(segments.get(0).id() + ".json")).doesNotExist();
        assertThat(archive.index().mediaFile(segments.get(2))).exists();
    }

    @Test
    void onSharedStorageRetentionDeletesOnlyTheNodesOwnSegments() throws Exception {
        Archive recorded = Archive.start(threeSecondSegments(), new SimpleMeterRegistry()); // no cluster: segments name no node
        MediaFixture.generate(10, 30).publish(recorded.observer(), "cam1", "s1", WALL_START_MICROS);
        recorded.close();
        List<SegmentInfo> segments = recorded.index().all();
        ArchiveConfig keepNothing = threeSecondSegments().withRetention(Duration.ZERO, 1, 0);

        Archive node = Archive.start(keepNothing, new SimpleMeterRegistry(), "n1");
        node.close();
        node.enforceRetention();
        assertThat(node.index().all()).as("cluster node n1 lists them but did not write them").containsExactlyElementsOf(segments);
        assertThat(recorded.index().mediaFile(segments.get(0))).exists();

        Archive owner = Archive.start(keepNothing, new SimpleMeterRegistry());
        owner.close();
        owner.enforceRetention();
        assertThat(owner.index().all()).as("the relay that wrote them deletes them, as its limit of 1 byte says").isEmpty();
    }

    @Test
    void aSegmentWhoseHandOffKeepsFailingSurvivesTheStreamLimit() throws Exception {
        ArchiveConfig failingHook = threeSecondSegments().withHook(List.of("false"), null,
                Duration.ofMillis(20), Duration.ofMillis(50)).withRetention(Duration.ZERO, 1, 0);
        Archive archive = Archive.start(failingHook, new SimpleMeterRegistry());
        MediaFixture.generate(10, 30).publish(archive.observer(), "cam1", "s1", WALL_START_MICROS);
        archive.close();
        archive.enforceRetention();
        assertThat(archive.index().all()).hasSize(4)
                .allMatch(s -> s.handoff() == SegmentInfo.Handoff.PENDING);
    }

    static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition reached in time").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
