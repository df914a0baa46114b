package dev.tunnelcast.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.TrackKind;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What one player gets of a 3-layer track, on a fake clock: its layer, switched at keyframes only. */
class LayerRouterTest {

    private static final LayerSettings SETTINGS = new LayerSettings(Duration.ofMillis(500), Duration.ofMillis(100),
            Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(1), Duration.ofMillis(50));
    private static final int[] HEIGHTS = {720, 360, 180};
    private static final long FRAME_MICROS = 33_333;

    private final SimulcastLayers layers = new SimulcastLayers();
    private final RelayedMessage[] configs = new RelayedMessage[3];
    private long now = TimeUnit.SECONDS.toNanos(100);
    /** When the oldest message queued for the player arrived, -1: empty. */
    private long oldestQueued = -1;
    /** The player's queue as the router sees it: only its age matters here. */
    private final QueueState queue = new FakeQueue() {
        @Override
        public long oldestQueuedAtNanos() {
            return oldestQueued;
        }
    };
    private static final QueueState EMPTY_QUEUE = new FakeQueue();

    private static class FakeQueue implements QueueState {
        @Override
        public long oldestQueuedAtNanos() {
            return -1;
        }

        @Override
        public long leftBytes() {
            return 0;
        }

        @Override
        public long takenBytes() {
            return 0;
        }

        @Override
        public long queuedBytes() {
            return 0;
        }
    }

    LayerRouterTest() throws Refusal {
        for (int layer = 0; layer < 3; layer++) {
            TrackConfig c = TrackConfig.newBuilder().setTrackId(1).setKind(TrackKind.TRACK_KIND_VIDEO).setCodec("avc1.42E01F")
                    .setWidth(HEIGHTS[layer] * 16 / 9).setHeight(HEIGHTS[layer]).setLayer(layer).setLayerCount(3).build();
            configs[layer] = message(RelayedMessage.Kind.CONFIG, false, layer, 0);
            boolean complete = layers.accept(c, configs[layer], true);
            assertThat(complete).isEqualTo(layer == 2);
        }
    }

    private RelayedMessage message(RelayedMessage.Kind kind, boolean keyframe, int layer, long pts) {
        return new RelayedMessage(ByteBuffer.allocate(10).asReadOnlyBuffer(), kind, keyframe, now, layer, pts);
    }

    /** One frame of every layer, in the order given; returns what the router let through (configs as "c" + layer). */
    private List<String> frame(long index, boolean keyframe, int... order) {
        List<String> got = new ArrayList<>();
        for (int layer : order) {
            RelayedMessage m = message(RelayedMessage.Kind.VIDEO, keyframe, layer, index * FRAME_MICROS);
            switch (router.route(m, now, queue)) {
                case SKIP -> { }
                case FORWARD -> got.add((keyframe ? "K" : "d") + layer);
                case ANNOUNCE_AND_FORWARD -> {
                    assertThat(router.announcement()).isSameAs(configs[router.layer()]);
                    got.add("c" + router.layer());
                    got.add((keyframe ? "K" : "d") + layer);
                }
                default -> throw new AssertionError();
            }
        }
        now += TimeUnit.MICROSECONDS.toNanos(FRAME_MICROS);
        return got;
    }

    private LayerRouter router = new LayerRouter(LayerRequest.AUTO, SETTINGS, layers, new LayerBitrates(), 0);

    @Test
    void startsOnTheTopLayerAndAnnouncesItBeforeItsFirstKeyframe() throws Refusal {
        assertThat(router.start(now, false, layer -> false)).isZero();
        assertThat(frame(0, false, 0, 1, 2)).as("no keyframe yet").isEmpty();
        assertThat(frame(1, true, 0, 1, 2)).containsExactly("c0", "K0");
        assertThat(frame(2, false, 0, 1, 2)).containsExactly("d0");
        // A re-announcement of its own layer passes; the others' do not.
        assertThat(router.route(configs[0], now, EMPTY_QUEUE)).isEqualTo(LayerRouter.Step.FORWARD);
        assertThat(router.route(configs[1], now, EMPTY_QUEUE)).isEqualTo(LayerRouter.Step.SKIP);
    }

    @Test
    void aJoinBurstWithTheLayersGopNeedsNoAnnouncementAndNoKeyframe() throws Refusal {
        router = new LayerRouter(new LayerRequest("360p", false, 0), SETTINGS, layers, new LayerBitrates(), 0);
        assertThat(router.start(now, true, layer -> layer == 1)).isEqualTo(1);
        assertThat(frame(5, false, 0, 1, 2)).containsExactly("d1");
    }

    @Test
    void aGrowingQueueMovesItDownAtTheNextKeyframeWhicheverLayerArrivesFirst() throws Refusal {
        router.start(now, true, layer -> true);
        frame(0, false, 0, 1, 2);
        now += TimeUnit.SECONDS.toNanos(1);
        oldestQueued = now - TimeUnit.MILLISECONDS.toNanos(600);
        assertThat(frame(1, false, 0, 1, 2)).as("delta frames: no switch").containsExactly("d0");
        assertThat(router.switchingDown()).isTrue();
        // The old layer's keyframe comes first at the switch point: it is not sent, the new one is.
        assertThat(frame(2, true, 0, 1, 2)).containsExactly("c1", "K1");
        assertThat(router.layer()).isEqualTo(1);
        assertThat(router.switchingDown()).isFalse();
        assertThat(frame(3, false, 0, 1, 2)).containsExactly("d1");
    }

    @Test
    void probesUpAtAKeyframeAfterTheQueueStayedShortWhateverTheArrivalOrder() throws Refusal {
        router = new LayerRouter(new LayerRequest("180p", false, 0), SETTINGS, layers, new LayerBitrates(), 0);
        router.start(now, true, layer -> true);
        long frames = TimeUnit.SECONDS.toMicros(5) / FRAME_MICROS + 1;
        for (long i = 1; i <= frames; i++) {
            assertThat(frame(i, false, 2, 1, 0)).containsExactly("d2");
        }
        // The lower layer's keyframe of the same pts arrives first: it is the switch point, and is not sent.
        assertThat(frame(frames + 1, true, 2, 1, 0)).containsExactly("c1", "K1");
        assertThat(frame(frames + 2, false, 2, 1, 0)).containsExactly("d1");
    }

    @Test
    void withoutAHintItStartsOnTheLowestLayerThatFillsItsViewport() throws Refusal {
        int[][] viewportToLayer = {{180, 2}, {181, 1}, {360, 1}, {361, 0}, {1080, 0}};
        for (int[] c : viewportToLayer) {
            router = new LayerRouter(LayerRequest.parse(null, null, String.valueOf(c[0])), SETTINGS, layers, new LayerBitrates(), 0);
            assertThat(router.start(now, true, layer -> true)).as("viewport %d px tall", c[0]).isEqualTo(c[1]);
        }
        router = new LayerRouter(LayerRequest.parse("auto", "720p", "180"), SETTINGS, layers, new LayerBitrates(), 0);
        assertThat(router.start(now, true, layer -> true)).as("start= wins").isZero();
    }

    @Test
    void aMalformedViewportIsRefusedWithWhatIsAllowed() {
        for (String bad : new String[] {"0", "-5", "abc", "720.5", "16385", "999999"}) {
            assertThatThrownBy(() -> LayerRequest.parse(null, null, bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("viewport=" + bad + " is not a height in device pixels from 1 to 16384");
        }
    }

    @Test
    void aLayerWhoseKeyframeIsMissingAtTheSwitchPointWaitsForItsNextOne() throws Refusal {
        router.start(now, true, layer -> true);
        now += TimeUnit.SECONDS.toNanos(1);
        oldestQueued = now - TimeUnit.MILLISECONDS.toNanos(600);
        assertThat(frame(1, true, 0, 2)).as("layer 1 lost its keyframe").isEmpty();
        assertThat(frame(2, false, 0, 1, 2)).as("never a delta frame without its keyframe").isEmpty();
        assertThat(frame(3, true, 0, 1, 2)).containsExactly("c1", "K1");
    }

    @Test
    void aPinnedPlayerStaysOnItsLayer() throws Refusal {
        router = new LayerRouter(new LayerRequest("360p", true, 0), SETTINGS, layers, new LayerBitrates(), 0);
        router.start(now, true, layer -> true);
        oldestQueued = now - TimeUnit.SECONDS.toNanos(1);
        for (long i = 1; i < 10; i++) {
            assertThat(frame(i, i % 3 == 0, 0, 1, 2)).containsExactly((i % 3 == 0 ? "K" : "d") + 1);
        }
    }

    @Test
    void anUnknownLayerIsRefusedNamingTheOnesThereAre() {
        router = new LayerRouter(new LayerRequest("480p", true, 0), SETTINGS, layers, new LayerBitrates(), 0);
        assertThatThrownBy(() -> router.start(now, false, layer -> false)).isInstanceOfSatisfying(Refusal.class, r -> {
            assertThat(r.code()).isEqualTo(CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION);
            assertThat(r.detail()).isEqualTo("no layer 480p in this stream: it has 720p, 360p, 180p (or quality=auto)");
        });
    }

    @Test
    void beforeTheLayersAreKnownNothingOfTheTrackPasses() {
        assertThat(router.route(configs[0], now, EMPTY_QUEUE)).isEqualTo(LayerRouter.Step.SKIP);
        assertThat(frame(0, true, 0, 1, 2)).isEmpty();
    }
}
