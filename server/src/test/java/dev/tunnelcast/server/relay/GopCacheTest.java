package dev.tunnelcast.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class GopCacheTest {

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
        assertThat(gop.hasKeyframe()).isFalse();
        RelayedMessage key = video(1000, true);
        gop.append(key, true);
        RelayedMessage a = audio(10);
        RelayedMessage p = video(100, false);
        gop.append(a, false);
        gop.append(p, true);
        assertThat(gop.snapshot()).containsExactly(key, a, p);
        RelayedMessage key2 = video(900, true);
        gop.append(key2, true);
        assertThat(gop.snapshot()).containsExactly(key2);
        // A keyframe of a secondary video track does not restart the GOP.
        RelayedMessage otherKey = video(50, true);
        gop.append(otherKey, false);
        assertThat(gop.snapshot()).containsExactly(key2, otherKey);
        assertThat(gop.bytes()).isEqualTo(950);
    }

    @Test
    void aGopOverTheBoundIsForgottenUntilTheNextKeyframe() {
        GopCache gop = new GopCache(2_000);
        gop.append(video(1500, true), true);
        gop.append(video(400, false), true);
        assertThat(gop.hasKeyframe()).isTrue();
        gop.append(video(400, false), true);
        assertThat(gop.hasKeyframe()).isFalse();
        assertThat(gop.bytes()).isZero();
        gop.append(video(100, false), true);
        assertThat(gop.size()).isZero();
        gop.append(video(100, true), true);
        assertThat(gop.size()).isEqualTo(1);
    }
}
