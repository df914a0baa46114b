package dev.tunnelcast.server;

import static dev.tunnelcast.server.testing.Messages.AUDIO;
import static dev.tunnelcast.server.testing.Messages.VIDEO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.Ping;
import dev.tunnelcast.proto.v1.Pong;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.proto.v1.StatusCode;
import dev.tunnelcast.proto.v1.TrackKind;
import dev.tunnelcast.server.relay.LayerSettings;
import dev.tunnelcast.server.testing.LayeredPublisher;
import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.WsClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A publisher sends a 3-layer simulcast track (720p, 360p, 180p) over a real socket; players
 * over real sockets each get one layer: the top one by default, the one they pin, the one they
 * start from, and a lower one when they fall behind, switched at a keyframe, never a broken frame.
 */
class SimulcastTest {

    private static final int GOP_FRAMES = LayeredPublisher.GOP_FRAMES;

    /** Down after 1.5 s of queue, never up within a test: the healthy player has headroom on a busy machine. */
    private static RelayConfig config() {
        return TestRelays.config().playerQueueAge(Duration.ofSeconds(4)).slowPlayerTimeout(Duration.ofSeconds(20))
                .layers(new LayerSettings(Duration.ofMillis(1500), Duration.ofMillis(100), Duration.ofSeconds(60),
                        Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofMillis(50)))
                .build();
    }

    @Test
    void eachPlayerGetsTheLayerItAskedForAndAJoinerStartsAtAKeyframeOfItsLayer() throws Exception {
        try (Relay relay = Relay.start(config())) {
            LayeredPublisher publisher = new LayeredPublisher(TestRelays.publisher(relay, "sim"));
            WsClient top = TestRelays.player(relay, "sim");
            WsClient pinned = player(relay, "sim", "?quality=360p");
            WsClient started = player(relay, "sim", "?start=180p");
            WsClient small = player(relay, "sim", "?viewport=200");
            publisher.frames(25);
            assertThat(layersOf(top.nextUntilQuiet())).containsExactly(0);
            assertThat(layersOf(pinned.nextUntilQuiet())).containsExactly(1);
            assertThat(layersOf(started.nextUntilQuiet())).containsExactly(2);
            assertThat(layersOf(small.nextUntilQuiet())).as("200 px tall: 360p is the lowest layer that fills it").containsExactly(1);

            // A joiner gets its layer's config, then that layer's GOP from its keyframe (frame 20), audio included.
            WsClient late = player(relay, "sim", "?quality=180p");
            List<WsClient.Received> burst = late.nextUntilQuiet();
            List<Envelope> video = burst.stream().map(WsClient.Received::envelope)
                    .filter(e -> e.hasMediaPacket() && e.getMediaPacket().getTrackId() == VIDEO).toList();
            assertThat(video).hasSize(5);
            assertThat(video.get(0).getMediaPacket().getKeyframe()).isTrue();
            assertThat(video.get(0).getMediaPacket().getPtsMicros()).isEqualTo(20 * LayeredPublisher.FRAME_MICROS);
            assertThat(layersOf(burst)).containsExactly(2);
            assertThat(burst.stream().filter(r -> r.envelope().hasMediaPacket()
                    && r.envelope().getMediaPacket().getTrackId() == AUDIO)).hasSize(5);
            assertThat(switches(relay, "sim", "down") + switches(relay, "sim", "up")).isZero();
            assertThat(TestRelays.get(relay, "/api/streams/sim").body()).contains("\"tracks\":[{\"id\":1,\"kind\":\"video\","
                    + "\"codec\":\"avc1.42E01F\",\"width\":1280,\"height\":720,\"frameRate\":30.0,\"bitrate\":0,\"layers\":["
                    + "{\"name\":\"720p\",\"width\":1280,\"height\":720,\"bitrate\":0},"
                    + "{\"name\":\"360p\",\"width\":640,\"height\":360,\"bitrate\":0},"
                    + "{\"name\":\"180p\",\"width\":320,\"height\":180,\"bitrate\":0}]},{\"id\":2,");
            publisher.client().close();
        }
    }

    @Test
    void theRelayTimesAnAutoPlayersPathWithPingsAndKeyframeTrainsButNeverAPinnedPlayers() throws Exception {
        try (Relay relay = Relay.start(config())) {
            LayeredPublisher publisher = new LayeredPublisher(TestRelays.publisher(relay, "sim"));
            WsClient auto = TestRelays.player(relay, "sim");
            WsClient pinned = player(relay, "sim", "?quality=360p");
            publisher.frames(5);
            List<Envelope> first = auto.nextUntilQuiet().stream().map(WsClient.Received::envelope).toList();
            int keyframe = indexOf(first, e -> e.hasMediaPacket() && e.getMediaPacket().getKeyframe());
            // The keyframe (24 KiB, over the 8 KiB a train needs) is written between two Pings, in one write.
            int head = indexOf(first, Envelope::hasPing);
            assertThat(head).as("a Ping ahead of the keyframe's write").isBetween(0, keyframe - 1);
            assertThat(first.get(keyframe + 1).hasPing()).as("and one right behind it").isTrue();
            Ping headPing = first.get(head).getPing();
            Ping tailPing = first.get(keyframe + 1).getPing();
            assertThat(tailPing.getId()).isEqualTo(headPing.getId() + 1);
            assertThat(pings(first.stream().map(e -> new WsClient.Received(e.toByteArray(), e)).toList())).hasSize(2);
            auto.send(pong(headPing, 5_000_000));
            auto.send(pong(tailPing, 5_200_000));
            auto.send(Envelope.newBuilder().setPong(Pong.newBuilder().setId(tailPing.getId() + 1000)).build()); // answers nothing: ignored
            Thread.sleep(1100);
            publisher.frames(1);
            List<WsClient.Received> later = auto.nextUntilQuiet();
            assertThat(pings(later)).as("a second later, the next (no keyframe: no train)").hasSize(1);
            assertThat(pings(later).get(0).getPing().getId()).isGreaterThan(tailPing.getId());
            assertThat(layersOf(later)).containsExactly(0);
            assertThat(auto.isClosed()).isFalse();
            assertThat(pings(pinned.nextUntilQuiet())).as("a pinned player's layer is not the relay's to choose").isEmpty();
            publisher.client().close();
        }
    }

    private static Envelope pong(Ping ping, long receivedAtMicros) {
        return Envelope.newBuilder().setPong(Pong.newBuilder().setId(ping.getId()).setPingSendTimeMicros(ping.getSendTimeMicros())
                .setReceiveTimeMicros(receivedAtMicros).setSendTimeMicros(receivedAtMicros)).build();
    }

    private static int indexOf(List<Envelope> envelopes, java.util.function.Predicate<Envelope> which) {
        for (int i = 0; i < envelopes.size(); i++) {
            if (which.test(envelopes.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static List<Envelope> pings(List<WsClient.Received> received) {
        return received.stream().map(WsClient.Received::envelope).filter(Envelope::hasPing).toList();
    }

    @Test
    void aPlayerAskingForALayerTheStreamDoesNotHaveIsRefusedNamingTheLayers() throws Exception {
        try (Relay relay = Relay.start(config())) {
            LayeredPublisher publisher = new LayeredPublisher(TestRelays.publisher(relay, "sim"));
            publisher.frames(1);
            WsClient unknown = WsClient.connect(URI.create(TestRelays.playUri(relay, "sim") + "?quality=480p"));
            unknown.send(Messages.hello(Role.ROLE_PLAYER));
            Envelope refused = unknown.nextMatching(e -> e.hasStatus() && e.getStatus().getCode() == StatusCode.STATUS_CODE_REFUSED);
            assertThat(refused.getStatus().getMessage())
                    .isEqualTo("no layer 480p in this stream: it has 720p, 360p, 180p (or quality=auto)");
            assertThat(unknown.awaitClose().code()).isEqualTo(4422);

            WsClient malformed = WsClient.connect(URI.create(TestRelays.playUri(relay, "sim") + "?quality=best"));
            Envelope bad = malformed.nextOf(Envelope.KindCase.STATUS);
            assertThat(bad.getStatus().getMessage()).isEqualTo("quality=best is neither auto nor a layer name such as 360p");
            assertThat(malformed.awaitClose().code()).isEqualTo(4422);
            publisher.client().close();
        }
    }

    @Test
    void aPlayerThatFallsBehindMovesDownAtAKeyframeWhileAHealthyOneStaysOnTop() throws Exception {
        try (Relay relay = Relay.start(config())) {
            LayeredPublisher publisher = new LayeredPublisher(TestRelays.publisher(relay, "sim"));
            WsClient healthy = TestRelays.player(relay, "sim");
            WsClient stalled = TestRelays.player(relay, "sim");
            publisher.frames(GOP_FRAMES);
            stalled.pause();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (switches(relay, "sim", "down") == 0) {
                assertThat(System.nanoTime()).as("a switch down within 60 s").isLessThan(deadline);
                publisher.frames(1);
            }
            stalled.resume();
            publisher.frames(3 * GOP_FRAMES);
            int frames = publisher.frames();

            List<WsClient.Received> slow = stalled.nextUntilQuiet();
            // It took nothing while backlogged: its link's rate is not known, so it moves one layer at a time.
            assertThat(videoHeights(slow)).containsExactly(720, 360);
            checkDecodable(slow);
            assertThat(audioCount(slow)).isEqualTo(frames);

            List<WsClient.Received> open = healthy.nextUntilQuiet();
            assertThat(videoHeights(open)).containsExactly(720);
            checkDecodable(open);
            assertThat(open.stream().filter(r -> r.envelope().hasMediaPacket()
                    && r.envelope().getMediaPacket().getTrackId() == VIDEO)).hasSize(frames);
            assertThat(audioCount(open)).isEqualTo(frames);

            assertThat(switches(relay, "sim", "down")).isEqualTo(1.0);
            assertThat(switches(relay, "sim", "up")).isZero();
            assertThat(TestRelays.get(relay, "/metrics").body())
                    .contains("tunnelcast_layer_switches_total{direction=\"down\",stream=\"sim\"} 1.0");
            assertThat(publisher.client().drain()).anyMatch(r -> r.envelope().hasKeyframeRequest());
            publisher.client().close();
        }
    }

    private static WsClient player(Relay relay, String stream, String query) {
        WsClient client = WsClient.connect(URI.create(TestRelays.playUri(relay, stream) + query));
        client.send(Messages.hello(Role.ROLE_PLAYER));
        assertThat(client.nextOf(Envelope.KindCase.WELCOME)).isNotNull();
        return client;
    }

    private static double switches(Relay relay, String stream, String direction) {
        return relay.metrics().registry().get("tunnelcast.layer.switches").tag("stream", stream)
                .tag("direction", direction).counter().count();
    }

    /** The layers of the video packets received. */
    private static List<Integer> layersOf(List<WsClient.Received> received) {
        List<Integer> layers = new ArrayList<>();
        for (WsClient.Received r : received) {
            if (r.envelope().hasMediaPacket() && r.envelope().getMediaPacket().getTrackId() == VIDEO) {
                int layer = r.envelope().getMediaPacket().getLayer();
                if (!layers.contains(layer)) {
                    layers.add(layer);
                }
            }
        }
        return layers;
    }

    /** The heights of the video TrackConfigs received, in order. */
    private static List<Integer> videoHeights(List<WsClient.Received> received) {
        return received.stream().map(WsClient.Received::envelope)
                .filter(e -> e.hasTrackConfig() && e.getTrackConfig().getKind() == TrackKind.TRACK_KIND_VIDEO)
                .map(e -> e.getTrackConfig().getHeight()).toList();
    }

    private static long audioCount(List<WsClient.Received> received) {
        return received.stream().filter(r -> r.envelope().hasMediaPacket()
                && r.envelope().getMediaPacket().getTrackId() == AUDIO).count();
    }

    /**
     * Every video packet is of the layer its latest TrackConfig announced, the first after a
     * config is a keyframe, and a delta frame directly follows the frame before it: nothing a
     * decoder could not decode.
     */
    private static void checkDecodable(List<WsClient.Received> received) {
        int configLayer = -1;
        long lastPts = Long.MIN_VALUE;
        for (WsClient.Received r : received) {
            Envelope e = r.envelope();
            if (e.hasTrackConfig() && e.getTrackConfig().getTrackId() == VIDEO) {
                configLayer = e.getTrackConfig().getLayer();
                lastPts = Long.MIN_VALUE;
            } else if (e.hasMediaPacket() && e.getMediaPacket().getTrackId() == VIDEO) {
                MediaPacket p = e.getMediaPacket();
                assertThat(p.getLayer()).as("packet %s of the announced layer", p.getSequence()).isEqualTo(configLayer);
                if (!p.getKeyframe()) {
                    assertThat(p.getPtsMicros() - lastPts).as("delta frame %s follows its predecessor", p.getSequence())
                            .isEqualTo(LayeredPublisher.FRAME_MICROS);
                }
                lastPts = p.getPtsMicros();
            }
        }
    }
}
