package dev.tunnelcast.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.proto.v1.StatusCode;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.WsClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Simulcast through a real relay (docs/protocol.md, "Layers"): a publisher sends three layers
 * of one video track (tracks 1 = 720p top, 3 = 360p, 4 = 180p) and audio (track 2); real
 * WebSocket players get one layer each, pinned or chosen by their queue, switched only at a
 * keyframe of the new layer right after its TrackConfig.
 */
class SimulcastTest {

    private static final int AUDIO = 2;
    private static final int[] LAYER_TRACKS = {1, 3, 4};
    private static final int[] LAYER_HEIGHTS = {720, 360, 180};
    private static final int[] LAYER_BYTES = {32 * 1024, 8 * 1024, 2 * 1024};
    private static final int GOP = 10;

    @Test
    void playersGetTheirLayerOnlyFromItsKeyframeAndPinsHold() throws Exception {
        try (Relay relay = Relay.start(TestRelays.config().build())) {
            WsClient publisher = TestRelays.publisher(relay, "sim");
            Publishing publishing = new Publishing(publisher);
            publishing.configs();
            publishing.frames(5); // a GOP in the cache: keyframes of all layers at frame 0
            WsClient top = TestRelays.player(relay, "sim");
            WsClient middle = player(relay, "sim", "360p");
            WsClient bottom = player(relay, "sim", "200p"); // the best layer at most 200 tall: 180p
            publishing.frames(2 * GOP);

            for (int r = 0; r < 3; r++) {
                int rank = r;
                WsClient player = List.of(top, middle, bottom).get(rank);
                List<Envelope> got = until(player, e -> e.hasMediaPacket() && e.getMediaPacket().getSequence() == 24
                        && e.getMediaPacket().getTrackId() == LAYER_TRACKS[rank]);
                List<Integer> videoTracks = got.stream().filter(e -> e.hasMediaPacket() && e.getMediaPacket().getTrackId() != AUDIO)
                        .map(e -> e.getMediaPacket().getTrackId()).distinct().toList();
                assertThat(videoTracks).as("rank %d gets one layer", rank).containsExactly(LAYER_TRACKS[rank]);
                List<TrackConfig> videoConfigs = got.stream().filter(Envelope::hasTrackConfig).map(Envelope::getTrackConfig)
                        .filter(c -> c.getTrackId() != AUDIO).toList();
                assertThat(videoConfigs).as("rank %d: its layer's config only", rank).hasSize(1);
                assertThat(videoConfigs.get(0).getHeight()).isEqualTo(LAYER_HEIGHTS[rank]);
                checkOneTrackAtATime(got);
                List<Long> sequences = got.stream().filter(e -> e.hasMediaPacket() && e.getMediaPacket().getTrackId() != AUDIO)
                        .map(e -> e.getMediaPacket().getSequence()).toList();
                assertThat(sequences).as("rank %d: from the GOP's keyframe, every frame", rank)
                        .isEqualTo(java.util.stream.LongStream.rangeClosed(0, 24).boxed().toList());
            }

            WsClient bad = WsClient.connect(URI.create(TestRelays.playUri(relay, "sim") + "?quality=hd"));
            assertThat(bad.awaitClose(Duration.ofSeconds(15)).code()).isEqualTo(CloseCode.CLOSE_CODE_BAD_MESSAGE.getNumber());
            for (WsClient c : List.of(top, middle, bottom, publisher)) {
                c.close();
            }
        }
    }

    @Test
    void aPlayerBehindMovesDownAtAKeyframeAndBackUpWhileAHealthyOneStaysOnTop() throws Exception {
        try (Relay relay = Relay.start(TestRelays.config()
                // No drops, no 4408: only the layer choice acts on the stalled player.
                .playerQueueBytes(512L * 1024 * 1024).playerQueueAge(Duration.ofSeconds(60))
                .slowPlayerTimeout(Duration.ofSeconds(120)).gopCacheBytes(64L * 1024 * 1024)
                .layerThresholds(Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofSeconds(1))
                .build())) {
            WsClient publisher = TestRelays.publisher(relay, "sim");
            Publishing publishing = new Publishing(publisher);
            publishing.configs();
            WsClient healthy = TestRelays.player(relay, "sim");
            WsClient stalled = TestRelays.player(relay, "sim");
            stalled.pause();
            publishing.until(() -> switches(relay) >= 1);
            List<Envelope> seen = new ArrayList<>(envelopes(stalled.drain()));
            stalled.resume();
            publishing.until(() -> {
                seen.addAll(envelopes(stalled.drain()));
                return lastVideoConfigTrack(seen) == LAYER_TRACKS[0] && seen.stream().anyMatch(e -> e.hasTrackConfig()
                        && e.getTrackConfig().getTrackId() == LAYER_TRACKS[1]);
            });
            publishing.frames(GOP);
            seen.addAll(envelopes(stalled.nextUntilQuiet()));

            checkOneTrackAtATime(seen);
            List<Integer> configTracks = seen.stream().filter(e -> e.hasTrackConfig() && e.getTrackConfig().getTrackId() != AUDIO)
                    .map(e -> e.getTrackConfig().getTrackId()).toList();
            assertThat(configTracks).as("down from the top, then back up").startsWith(1, 3).endsWith(1);
            checkAudioComplete(seen);
            assertThat(seen).noneMatch(e -> e.hasStatus() && e.getStatus().getCode() == StatusCode.STATUS_CODE_DROPPED);

            List<Envelope> healthyGot = envelopes(healthy.nextUntilQuiet());
            assertThat(healthyGot.stream().filter(e -> e.hasMediaPacket() && e.getMediaPacket().getTrackId() != AUDIO)
                    .map(e -> e.getMediaPacket().getTrackId()).distinct().toList()).as("the healthy player stays on top")
                    .containsExactly(1);
            checkAudioComplete(healthyGot);
            assertThat(switches(relay)).isGreaterThanOrEqualTo(2.0);
            assertThat(TestRelays.get(relay, "/metrics").body()).contains("tunnelcast_layer_switches_total{stream=\"sim\"}");
            assertThat(publisher.drain()).anyMatch(r -> r.envelope().hasKeyframeRequest());
            healthy.close();
            stalled.close();
            publisher.close();
        }
    }

    private static double switches(Relay relay) {
        return relay.metrics().registry().get("tunnelcast.layer.switches").tag("stream", "sim").counter().count();
    }

    private static WsClient player(Relay relay, String stream, String quality) {
        WsClient client = WsClient.connect(URI.create(TestRelays.playUri(relay, stream) + "?quality=" + quality));
        client.send(Messages.hello(Role.ROLE_PLAYER));
        assertThat(client.next().envelope().hasWelcome()).isTrue();
        return client;
    }

    /** Messages until one matches (inclusive), failing after a generous deadline. */
    private static List<Envelope> until(WsClient client, java.util.function.Predicate<Envelope> last) {
        List<Envelope> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Envelope e = client.next(Duration.ofSeconds(30)).envelope();
            out.add(e);
            if (last.test(e)) {
                return out;
            }
        }
        throw new AssertionError("no matching message within 30 s; got " + out.size());
    }

    private static List<Envelope> envelopes(List<WsClient.Received> received) {
        return received.stream().map(WsClient.Received::envelope).toList();
    }

    private static int lastVideoConfigTrack(List<Envelope> got) {
        int track = -1;
        for (Envelope e : got) {
            if (e.hasTrackConfig() && e.getTrackConfig().getTrackId() != AUDIO) {
                track = e.getTrackConfig().getTrackId();
            }
        }
        return track;
    }

    /**
     * What a player needs to decode without a break: every video packet is of the track of the
     * last video TrackConfig; the first packet after a TrackConfig is a keyframe; within a
     * track's run the sequence goes up by one.
     */
    private static void checkOneTrackAtATime(List<Envelope> got) {
        int track = -1;
        boolean needKeyframe = true;
        long lastSequence = -1;
        for (Envelope e : got) {
            if (e.hasTrackConfig() && e.getTrackConfig().getTrackId() != AUDIO) {
                track = e.getTrackConfig().getTrackId();
                needKeyframe = true;
            } else if (e.hasMediaPacket() && e.getMediaPacket().getTrackId() != AUDIO) {
                MediaPacket p = e.getMediaPacket();
                assertThat(p.getTrackId()).as("video of the announced layer only").isEqualTo(track);
                if (needKeyframe) {
                    assertThat(p.getKeyframe()).as("the first frame after a layer's TrackConfig is its keyframe (seq %d)",
                            p.getSequence()).isTrue();
                } else {
                    assertThat(p.getSequence()).as("no frame missing within a layer").isEqualTo(lastSequence + 1);
                }
                needKeyframe = false;
                lastSequence = p.getSequence();
            }
        }
    }

    private static void checkAudioComplete(List<Envelope> got) {
        long last = -1;
        for (Envelope e : got) {
            if (e.hasMediaPacket() && e.getMediaPacket().getTrackId() == AUDIO) {
                long seq = e.getMediaPacket().getSequence();
                if (last >= 0) {
                    assertThat(seq).as("audio is never touched").isEqualTo(last + 1);
                }
                last = seq;
            }
        }
    }

    /** Three layers with keyframes every {@value GOP} frames at the same frames, and audio, about every 3 ms. */
    private static final class Publishing {
        private final WsClient publisher;
        private long seq;

        Publishing(WsClient publisher) {
            this.publisher = publisher;
        }

        void configs() {
            for (int rank = 0; rank < LAYER_TRACKS.length; rank++) {
                Envelope base = Messages.videoConfig(LAYER_TRACKS[rank]);
                publisher.send(base.toBuilder().setTrackConfig(base.getTrackConfig().toBuilder()
                        .setHeight(LAYER_HEIGHTS[rank]).setWidth(LAYER_HEIGHTS[rank] * 16 / 9)
                        .setLayerGroup(LAYER_TRACKS[0]).setLayerRank(rank)).build());
            }
            publisher.send(Messages.audioConfig(AUDIO));
        }

        void frames(int n) throws InterruptedException {
            for (int i = 0; i < n; i++) {
                for (int rank = 0; rank < LAYER_TRACKS.length; rank++) {
                    publisher.send(Messages.packet(LAYER_TRACKS[rank], seq, seq % GOP == 0, LAYER_BYTES[rank]));
                }
                publisher.send(Messages.packet(AUDIO, seq, false, 120));
                seq++;
                Thread.sleep(3);
            }
        }

        void until(java.util.function.BooleanSupplier done) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!done.getAsBoolean()) {
                assertThat(System.nanoTime()).as("condition reached within 60 s").isLessThan(deadline);
                frames(1);
            }
        }
    }
}
