package dev.tunnelcast.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The queue policy alone, on a fake clock: bounds, drops to the keyframe, the slow-player verdict. */
class PlayerQueueTest {

    private static final long MAX_BYTES = 1000;
    private static final long MAX_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long SLOW_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** Time as the test says it is. */
    private static final class FakeClock {
        long nanos = TimeUnit.SECONDS.toNanos(100);

        void advanceMillis(long millis) {
            nanos += TimeUnit.MILLISECONDS.toNanos(millis);
        }
    }

    private final FakeClock clock = new FakeClock();
    private final RelayedMessage notice = message(RelayedMessage.Kind.CONTROL, false, 10);
    private final PlayerQueue queue = new PlayerQueue(MAX_BYTES, MAX_AGE_NANOS, SLOW_NANOS, notice);

    private RelayedMessage message(RelayedMessage.Kind kind, boolean keyframe, int bytes) {
        return new RelayedMessage(ByteBuffer.allocate(bytes).asReadOnlyBuffer(), kind, keyframe, clock.nanos);
    }

    private RelayedMessage video(boolean keyframe, int bytes) {
        return message(RelayedMessage.Kind.VIDEO, keyframe, bytes);
    }

    private RelayedMessage audio(int bytes) {
        return message(RelayedMessage.Kind.AUDIO, false, bytes);
    }

    private PlayerQueue.Offer offer(RelayedMessage m) {
        return queue.offer(m, clock.nanos);
    }

    private List<RelayedMessage> drain() {
        List<RelayedMessage> out = new ArrayList<>();
        for (RelayedMessage m = queue.poll(); m != null; m = queue.poll()) {
            out.add(m);
            queue.sent();
        }
        return out;
    }

    @Test
    void withinBoundsEverythingIsQueuedInOrder() {
        queue.join(List.of(), false, clock.nanos);
        RelayedMessage k = video(true, 300);
        RelayedMessage a = audio(100);
        RelayedMessage d = video(false, 300);
        assertThat(List.of(offer(k), offer(a), offer(d))).containsOnly(PlayerQueue.Offer.QUEUED);
        assertThat(queue.queuedBytes()).isEqualTo(700);
        assertThat(drain()).containsExactly(k, a, d);
        assertThat(queue.queuedBytes()).isZero();
        assertThat(queue.takeDrops()).isZero();
    }

    @Test
    void paddingIsDroppedOnRequestOrAtAnOverflowWithoutCountingAsADrop() {
        queue.join(List.of(), false, clock.nanos);
        RelayedMessage k = video(true, 300);
        RelayedMessage a = audio(100);
        RelayedMessage padding = RelayedMessage.padding(200).queuedAt(clock.nanos);
        offer(k);
        queue.offerPadding(padding);
        offer(a);
        queue.offerPadding(padding);
        assertThat(queue.queuedBytes()).isEqualTo(400 + 2L * padding.sizeBytes());
        queue.dropPadding();
        assertThat(queue.queuedBytes()).isEqualTo(400);
        assertThat(queue.leftBytes()).as("dropped bytes left the queue").isEqualTo(2L * padding.sizeBytes());
        assertThat(queue.takeDrops()).isZero();
        assertThat(drain()).containsExactly(k, a);

        queue.offerPadding(padding);
        offer(video(false, 300));
        clock.advanceMillis(501);
        assertThat(offer(video(false, 300))).as("an old head: the queued video and the padding go").isEqualTo(PlayerQueue.Offer.DROPPED_VIDEO);
        assertThat(queue.takeDrops()).as("the two video messages, not the padding").isEqualTo(2);
        assertThat(drain()).containsExactly(notice);
        assertThat(queue.isLive(padding)).as("padding is no relay latency").isFalse();
        assertThat(RelayedMessage.padding(4096).sizeBytes()).as("an envelope of the size asked for").isEqualTo(4096);
    }

    @Test
    void aByteOverflowDropsQueuedAndIncomingVideoToTheNextKeyframeAndKeepsAudio() {
        queue.join(List.of(), false, clock.nanos);
        RelayedMessage k = video(true, 400);
        RelayedMessage a1 = audio(100);
        RelayedMessage d1 = video(false, 400);
        offer(k);
        offer(a1);
        offer(d1);
        RelayedMessage d2 = video(false, 400); // 900 + 400 > 1000
        assertThat(offer(d2)).isEqualTo(PlayerQueue.Offer.DROPPED_VIDEO);
        assertThat(queue.takeDrops()).isEqualTo(3); // k, d1 queued; d2 incoming
        RelayedMessage a2 = audio(100);
        RelayedMessage d3 = video(false, 100);
        assertThat(offer(a2)).isEqualTo(PlayerQueue.Offer.QUEUED);
        assertThat(offer(d3)).isEqualTo(PlayerQueue.Offer.QUEUED); // dropped while catching up, counted
        assertThat(queue.takeDrops()).isEqualTo(1);
        RelayedMessage k2 = video(true, 100);
        assertThat(offer(k2)).isEqualTo(PlayerQueue.Offer.QUEUED);
        assertThat(drain()).containsExactly(a1, notice, a2, k2);
        assertThat(queue.leftBytes()).as("what left the queue: k and d1 dropped, then a1, notice, a2, k2 taken")
                .isEqualTo(400 + 400 + 100 + 10 + 100 + 100);
    }

    @Test
    void anOldHeadDropsVideoOnTheNextOffer() {
        queue.join(List.of(), false, clock.nanos);
        RelayedMessage k = video(true, 100);
        offer(k);
        clock.advanceMillis(501);
        RelayedMessage a = audio(50);
        assertThat(offer(a)).isEqualTo(PlayerQueue.Offer.DROPPED_VIDEO);
        assertThat(queue.takeDrops()).isEqualTo(1);
        assertThat(drain()).containsExactly(notice, a);
    }

    @Test
    void theJoinBurstAgesFromTheJoinAndIsOutsideTheBounds() {
        RelayedMessage oldKey = video(true, 900);
        RelayedMessage oldDelta = video(false, 900);
        clock.advanceMillis(5000); // the GOP is old by nature
        queue.join(List.of(oldKey, oldDelta), false, clock.nanos);
        assertThat(queue.queuedBytes()).isEqualTo(1800);
        clock.advanceMillis(100);
        RelayedMessage a = audio(10);
        // over the byte bound already: video goes, audio stays
        assertThat(offer(a)).isEqualTo(PlayerQueue.Offer.DROPPED_VIDEO);
        assertThat(drain()).containsExactly(notice, a);
        assertThat(queue.isLive(a)).isTrue();
        assertThat(queue.isLive(oldKey)).isFalse();
        assertThat(queue.isLive(notice)).isFalse();
    }

    @Test
    void waitingForAKeyframeAfterAPublisherRestartIsNotADrop() {
        queue.join(List.of(), true, clock.nanos);
        assertThat(offer(video(false, 10))).isEqualTo(PlayerQueue.Offer.QUEUED);
        assertThat(queue.takeDrops()).isZero();
        assertThat(queue.isEmpty()).isTrue();
        RelayedMessage k = video(true, 10);
        offer(k);
        queue.awaitKeyframe();
        offer(video(false, 10));
        assertThat(queue.takeDrops()).isZero();
        assertThat(drain()).containsExactly(k);
    }

    @Test
    void aPlayerBehindLongerThanTheSlowTimeoutIsSlowAndClosed() {
        queue.join(List.of(), false, clock.nanos);
        offer(video(true, 600));
        offer(video(false, 600)); // overflow: behind from now
        for (int i = 0; i < 20; i++) {
            clock.advanceMillis(100);
            assertThat(offer(audio(10))).isNotEqualTo(PlayerQueue.Offer.SLOW);
        }
        clock.advanceMillis(1);
        assertThat(offer(audio(10))).isEqualTo(PlayerQueue.Offer.SLOW);
        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.queuedBytes()).isZero();
        assertThat(offer(audio(10))).isEqualTo(PlayerQueue.Offer.CLOSED);
        assertThat(queue.poll()).isNull();
    }

    @Test
    void aPlayerThatDrainsEmptyIsNoLongerBehind() {
        queue.join(List.of(), false, clock.nanos);
        offer(video(true, 600));
        offer(video(false, 600)); // behind
        clock.advanceMillis(1500);
        drain(); // caught up
        clock.advanceMillis(1500);
        assertThat(offer(audio(10))).isEqualTo(PlayerQueue.Offer.QUEUED);
        assertThat(queue.checkSlow(clock.nanos)).isFalse();
    }

    @Test
    void audioThatReachesTwiceTheByteBoundIsSlow() {
        queue.join(List.of(), false, clock.nanos);
        PlayerQueue.Offer last = PlayerQueue.Offer.QUEUED;
        int offers = 0;
        while (last != PlayerQueue.Offer.SLOW) {
            last = offer(audio(100));
            offers++;
            assertThat(offers).isLessThanOrEqualTo(21);
        }
        assertThat(offers).isEqualTo(21); // 2100 > 2 * 1000; no audio was dropped before
        assertThat(queue.takeDrops()).isZero();
    }

    @Test
    void aPongIsQueuedBehindMediaNeverDroppedAndCountedAgainstTheBound() {
        queue.join(List.of(), false, clock.nanos);
        RelayedMessage k = video(true, 900);
        offer(k);
        RelayedMessage pong = message(RelayedMessage.Kind.CONTROL, false, 50);
        assertThat(queue.offerControl(pong, clock.nanos)).isEqualTo(PlayerQueue.Offer.QUEUED);
        assertThat(queue.queuedBytes()).isEqualTo(950);
        assertThat(drain()).containsExactly(k, pong);
        // A player that keeps asking and never reads: slow at twice the byte bound.
        int asked = 0;
        PlayerQueue.Offer last = PlayerQueue.Offer.QUEUED;
        while (last == PlayerQueue.Offer.QUEUED) {
            last = queue.offerControl(message(RelayedMessage.Kind.CONTROL, false, 50), clock.nanos);
            asked++;
        }
        assertThat(last).isEqualTo(PlayerQueue.Offer.SLOW);
        assertThat(asked).isEqualTo(41); // 41 * 50 > 2 * 1000
        assertThat(queue.offerControl(pong, clock.nanos)).isEqualTo(PlayerQueue.Offer.CLOSED);
    }

    @Test
    void thePeriodicCheckFindsAPlayerBehindWhileThePublisherIsQuiet() {
        queue.join(List.of(), false, clock.nanos);
        offer(video(true, 100));
        clock.advanceMillis(400);
        assertThat(queue.checkSlow(clock.nanos)).isFalse();
        clock.advanceMillis(200); // head older than the age bound: behind from now
        assertThat(queue.checkSlow(clock.nanos)).isFalse();
        clock.advanceMillis(2000);
        assertThat(queue.checkSlow(clock.nanos)).isFalse();
        clock.advanceMillis(1);
        assertThat(queue.checkSlow(clock.nanos)).isTrue();
        assertThat(queue.checkSlow(clock.nanos)).isFalse(); // closed: reported once
    }
}
