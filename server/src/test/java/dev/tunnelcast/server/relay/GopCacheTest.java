package dev.tunnelcast.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class GopCacheTest {

    private static final int NONE = RelayedMessage.NO_LAYER;

    static RelayedMessage video(int size, boolean key) {
        return new RelayedMessage(ByteBuffer.allocate(size).asReadOnlyBuffer(), RelayedMessage.Kind.VIDEO, key, 0);
    }

    static RelayedMessage audio(int size) {
        return new RelayedMessage(ByteBuffer.allocate(size).asReadOnlyBuffer(), RelayedMessage.Kind.AUDIO, false, 0);
    }

    @Test
    void keepsEverythingSinceTheLastPrimaryKeyframe() {
        GopCache gop = new GopCache(10_000);
        gop.append(audio(10), false); // before any keyframe: not cached
        gop.append(video(100, false), true);
        assertThat(gop.hasKeyframe(NONE)).isFalse();
        RelayedMessage key = video(1000, true);
        gop.append(key, true);
        RelayedMessage a = audio(10);
        RelayedMessage p = video(100, false);
        gop.append(a, false);
        gop.append(p, true);
        assertThat(gop.snapshot(NONE)).containsExactly(key, a, p);
        RelayedMessage key2 = video(900, true);
        gop.append(key2, true);
        assertThat(gop.snapshot(NONE)).containsExactly(key2);
        // A keyframe of a secondary video track does not restart the GOP.
        RelayedMessage otherKey = video(50, true);
        gop.append(otherKey, false);
        assertThat(gop.snapshot(NONE)).containsExactly(key2, otherKey);
        assertThat(gop.bytes(NONE)).isEqualTo(950);
    }

    @Test
    void aGopOverTheBoundIsForgottenUntilTheNextKeyframe() {
        GopCache gop = new GopCache(2_000);
        gop.append(video(1500, true), true);
        gop.append(video(400, false), true);
        assertThat(gop.hasKeyframe(NONE)).isTrue();
        gop.append(video(400, false), true);
        assertThat(gop.hasKeyframe(NONE)).isFalse();
        assertThat(gop.bytes(NONE)).isZero();
        gop.append(video(100, false), true);
        assertThat(gop.size(NONE)).isZero();
        gop.append(video(100, true), true);
        assertThat(gop.size(NONE)).isEqualTo(1);
    }

    static RelayedMessage layer(int layer, long pts, boolean key) {
        return new RelayedMessage(ByteBuffer.allocate(100).asReadOnlyBuffer(), RelayedMessage.Kind.VIDEO, key, 0, layer, pts);
    }

    @Test
    void eachLayerOfASimulcastTrackHasAGopOfItsOwnSharingTheAudio() {
        GopCache gop = new GopCache(10_000);
        RelayedMessage top = layer(0, 0, true);
        RelayedMessage low = layer(1, 0, true);
        RelayedMessage a = audio(10);
        RelayedMessage topDelta = layer(0, 33, false);
        RelayedMessage lowDelta = layer(1, 33, false);
        for (RelayedMessage m : new RelayedMessage[] {top, low, a, topDelta, lowDelta}) {
            gop.append(m, m.isVideo());
        }
        assertThat(gop.snapshot(0)).containsExactly(top, a, topDelta);
        assertThat(gop.snapshot(1)).containsExactly(low, a, lowDelta);
        assertThat(gop.hasKeyframe(2)).isFalse();
        // A keyframe of one layer restarts that layer's GOP only; a new config of a layer clears it only.
        RelayedMessage low2 = layer(1, 66, true);
        gop.append(low2, true);
        assertThat(gop.snapshot(1)).containsExactly(low2);
        assertThat(gop.snapshot(0)).containsExactly(top, a, topDelta);
        gop.clear(0);
        assertThat(gop.hasKeyframe(0)).isFalse();
        assertThat(gop.hasKeyframe(1)).isTrue();
    }
}
