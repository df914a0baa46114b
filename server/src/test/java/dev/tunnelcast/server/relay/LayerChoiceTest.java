package dev.tunnelcast.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.TrackKind;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The layer choice on plain numbers: starts, pins, moves down and up only through keyframes. */
class LayerChoiceTest {

    private static final long MS = 1_000_000;
    private static final LayerPolicy POLICY = new LayerPolicy(500 * MS, 50 * MS, 5_000 * MS);

    private static LayerGroup threeLayers() {
        LayerGroup group = new LayerGroup(1);
        int[] tracks = {1, 3, 4};
        int[] heights = {720, 360, 180};
        for (int rank = 0; rank < 3; rank++) {
            TrackConfig config = TrackConfig.newBuilder().setTrackId(tracks[rank]).setKind(TrackKind.TRACK_KIND_VIDEO)
                    .setCodec("avc1.42E01F").setWidth(heights[rank] * 16 / 9).setHeight(heights[rank])
                    .setLayerGroup(1).setLayerRank(rank).build();
            group.put(new TrackState(config, new RelayedMessage(ByteBuffer.allocate(1).asReadOnlyBuffer(),
                    RelayedMessage.Kind.CONFIG, false, 0, tracks[rank]), null));
        }
        return group;
    }

    @Test
    void startsOnTheTopLayerAtItsKeyframe() {
        LayerGroup group = threeLayers();
        LayerChoice choice = new LayerChoice(0);
        assertThat(choice.admit(0, false, group, 0)).isEqualTo(LayerChoice.Admit.SKIP);
        assertThat(choice.admit(1, true, group, 0)).isEqualTo(LayerChoice.Admit.SKIP);
        assertThat(choice.admit(0, true, group, 0)).isEqualTo(LayerChoice.Admit.SWITCH);
        assertThat(choice.lastWasSwitch()).isFalse();
        assertThat(choice.admit(0, false, group, 0)).isEqualTo(LayerChoice.Admit.FORWARD);
    }

    @Test
    void aPinPicksTheBestLayerAtMostThatTallAndNeverMoves() {
        LayerGroup group = threeLayers();
        LayerChoice pinned = new LayerChoice(400);
        assertThat(pinned.admit(0, true, group, 0)).isEqualTo(LayerChoice.Admit.SKIP);
        assertThat(pinned.admit(1, true, group, 0)).isEqualTo(LayerChoice.Admit.SWITCH);
        assertThat(pinned.steer(10_000 * MS, true, group, POLICY, 1)).isFalse();
        assertThat(new LayerChoice(100).admit(2, true, group, 0)).as("below every layer: the lowest")
                .isEqualTo(LayerChoice.Admit.SWITCH);
    }

    @Test
    void movesDownAtTheLowerKeyframeOnceAndUpAfterAShortQueue() {
        LayerGroup group = threeLayers();
        LayerChoice choice = new LayerChoice(0);
        long now = 0;
        choice.admit(0, true, group, now);
        now += 100 * MS;
        assertThat(choice.steer(600 * MS, false, group, POLICY, now)).as("the join's backlog does not count").isFalse();
        now += 600 * MS;
        assertThat(choice.steer(600 * MS, false, group, POLICY, now)).as("queue too old: a lower target").isTrue();
        assertThat(choice.steer(700 * MS, false, group, POLICY, now)).as("one target at a time").isFalse();
        assertThat(choice.admit(0, false, group, now)).as("its layer until the switch").isEqualTo(LayerChoice.Admit.FORWARD);
        assertThat(choice.admit(1, false, group, now)).as("no switch without a keyframe").isEqualTo(LayerChoice.Admit.SKIP);
        assertThat(choice.admit(1, true, group, now)).isEqualTo(LayerChoice.Admit.SWITCH);
        assertThat(choice.lastWasSwitch()).isTrue();
        assertThat(choice.currentRank()).isEqualTo(1);
        assertThat(choice.steer(800 * MS, false, group, POLICY, now))
                .as("the backlog from before the switch does not move it again").isFalse();
        now += 600 * MS;
        assertThat(choice.steer(550 * MS, false, group, POLICY, now)).as("a backlog of the new layer does").isTrue();
        choice.admit(2, true, group, now);
        assertThat(choice.currentRank()).isEqualTo(2);
        for (int i = 0; i <= 49; i++) {
            now += 100 * MS;
            boolean moved = choice.steer(0, false, group, POLICY, now);
            assertThat(moved).as("up after 5 s short, at step %d", i).isEqualTo(i == 49);
        }
        assertThat(choice.targetRank()).isEqualTo(1);
        assertThat(choice.admit(1, true, group, now)).isEqualTo(LayerChoice.Admit.SWITCH);
    }

    @Test
    void aLongQueueRestartsTheWaitForUp() {
        LayerGroup group = threeLayers();
        LayerChoice choice = new LayerChoice(0);
        choice.admit(0, true, group, 0);
        assertThat(choice.steer(600 * MS, false, group, POLICY, 700 * MS)).isTrue();
        choice.admit(1, true, group, 700 * MS);
        long now = 700 * MS;
        for (int i = 0; i < 100; i++) {
            now += 100 * MS;
            long age = i == 40 ? 100 * MS : 0; // one moment over the up bound, under the down bound
            assertThat(choice.steer(age, false, group, POLICY, now)).as("step %d", i).isEqualTo(i == 91);
        }
    }

    @Test
    void aFailedProbeDoublesTheWaitBeforeTheNext() {
        LayerGroup group = threeLayers();
        LayerChoice choice = new LayerChoice(0);
        choice.admit(0, true, group, 0);
        assertThat(choice.steer(600 * MS, false, group, POLICY, 700 * MS)).isTrue();
        choice.admit(1, true, group, 700 * MS);
        long now = 700 * MS + 5_000 * MS;
        choice.steer(0, false, group, POLICY, now - 4_900 * MS);
        assertThat(choice.steer(0, false, group, POLICY, now)).as("first probe after 5 s").isTrue();
        choice.admit(0, true, group, now);
        now += 1_000 * MS;
        assertThat(choice.steer(600 * MS, false, group, POLICY, now)).as("the probe fails: down again").isTrue();
        choice.admit(1, true, group, now);
        long down = now;
        for (long t = down + 100 * MS; t < down + 10_000 * MS; t += 100 * MS) {
            assertThat(choice.steer(0, false, group, POLICY, t)).as("no probe before 10 s (at %d ms)", (t - down) / MS).isFalse();
        }
        assertThat(choice.steer(0, false, group, POLICY, down + 10_000 * MS)).as("the next probe at 10 s").isTrue();
    }
}
