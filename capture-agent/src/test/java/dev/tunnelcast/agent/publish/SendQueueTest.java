package dev.tunnelcast.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SendQueueTest {

    final AtomicLong now = new AtomicLong(1_000_000);
    final AtomicInteger overflows = new AtomicInteger();
    final SendQueue queue = new SendQueue(1000, 500_000, now::get, overflows::incrementAndGet);

    static byte[] bytes(int n, int tag) {
        byte[] b = new byte[n];
        b[0] = (byte) tag;
        return b;
    }

    List<SendQueue.Item> drain() throws InterruptedException {
        List<SendQueue.Item> out = new ArrayList<>();
        SendQueue.Item i;
        while ((i = queue.poll(0, TimeUnit.MILLISECONDS)) != null) {
            out.add(i);
        }
        return out;
    }

    @Test
    void videoStartsAtAKeyframe() throws Exception {
        assertThat(queue.offerMedia(bytes(10, 1), true, false)).isFalse();
        assertThat(queue.offerMedia(bytes(10, 2), true, true)).isTrue();
        assertThat(queue.offerMedia(bytes(10, 3), true, false)).isTrue();
        assertThat(drain()).extracting(i -> i.bytes()[0]).containsExactly((byte) 2, (byte) 3);
        assertThat(queue.droppedVideo()).isEqualTo(1);
    }

    @Test
    void afterAnOverflowEachSimulcastLayerResumesOnlyAtItsOwnKeyframe() throws Exception {
        // A picture of three layers, keyframes aligned: 0, 1, 2. The overflow comes at layer 2's keyframe, which fits
        // once the queued video (layers 0's and 1's keyframes) is dropped.
        queue.offerMedia(bytes(400, 1), true, true, 0);
        queue.offerMedia(bytes(300, 2), true, true, 1);
        assertThat(queue.offerMedia(bytes(400, 3), true, true, 2)).isTrue();
        assertThat(overflows.get()).isEqualTo(1);
        // The next picture: layers 0 and 1 lost their keyframes, so their delta frames must wait; layer 2 goes on.
        assertThat(queue.offerMedia(bytes(10, 4), true, false, 0)).as("layer 0 without its keyframe").isFalse();
        assertThat(queue.offerMedia(bytes(10, 5), true, false, 1)).as("layer 1 without its keyframe").isFalse();
        assertThat(queue.offerMedia(bytes(10, 6), true, false, 2)).as("layer 2 past its keyframe").isTrue();
        assertThat(queue.offerMedia(bytes(10, 7), true, true, 0)).isTrue();
        assertThat(queue.offerMedia(bytes(10, 8), true, false, 0)).as("layer 0 past its keyframe").isTrue();
        assertThat(queue.offerMedia(bytes(10, 9), true, false, 1)).as("layer 1 still waiting").isFalse();
        assertThat(drain()).extracting(i -> i.bytes()[0]).containsExactly((byte) 3, (byte) 6, (byte) 7, (byte) 8);
    }

    @Test
    void overflowDropsQueuedVideoAndWaitsForTheNextKeyframeButKeepsAudioAndControl() throws Exception {
        queue.offerMedia(bytes(300, 1), true, true);
        queue.offerMedia(bytes(100, 2), false, true);
        queue.offerMedia(bytes(300, 3), true, false);
        queue.offerControlLast(bytes(50, 4));
        // 750 queued; 300 more would pass the 1000-byte bound
        assertThat(queue.offerMedia(bytes(300, 5), true, false)).isFalse();
        assertThat(overflows.get()).isEqualTo(1);
        assertThat(queue.offerMedia(bytes(100, 6), true, false)).as("still waiting for a keyframe").isFalse();
        assertThat(queue.offerMedia(bytes(100, 7), false, true)).isTrue();
        assertThat(queue.offerMedia(bytes(200, 8), true, true)).isTrue();
        assertThat(drain()).extracting(i -> i.bytes()[0])
                .containsExactly((byte) 2, (byte) 4, (byte) 7, (byte) 8);
        assertThat(queue.droppedVideo()).isEqualTo(4); // 1 and 3 (queued), 5 and 6 (incoming)
        assertThat(queue.droppedAudio()).isZero();
        assertThat(queue.queuedBytes()).isZero();
    }

    @Test
    void aQueueThatIsTooOldCountsAsOverflowToo() throws Exception {
        queue.offerMedia(bytes(10, 1), true, true);
        now.addAndGet(600_000); // the uplink has not taken anything for 0.6 s
        assertThat(queue.offerMedia(bytes(10, 2), true, false)).isFalse();
        assertThat(overflows.get()).isEqualTo(1);
        assertThat(queue.offerMedia(bytes(10, 3), true, true)).as("a keyframe that fits resumes video").isTrue();
        assertThat(drain()).extracting(i -> i.bytes()[0]).containsExactly((byte) 3);
    }

    @Test
    void audioIsOnlyDroppedWhenTheByteBoundItselfIsHit() {
        assertThat(queue.offerMedia(bytes(900, 1), false, true)).isTrue();
        assertThat(queue.offerMedia(bytes(200, 2), false, true)).isFalse();
        assertThat(queue.droppedAudio()).isEqualTo(1);
    }

    @Test
    void audioThatWouldPassTheByteBoundDropsQueuedVideoFirst() throws Exception {
        queue.offerMedia(bytes(100, 1), false, true);
        queue.offerMedia(bytes(800, 2), true, true);
        // 900 queued: this audio packet passes the bound, the queued video goes instead of it
        assertThat(queue.offerMedia(bytes(200, 3), false, true)).isTrue();
        assertThat(overflows.get()).as("the encoder is told (keyframe, bitrate)").isEqualTo(1);
        assertThat(queue.offerMedia(bytes(10, 4), true, false)).as("video waits for a keyframe").isFalse();
        assertThat(drain()).extracting(i -> i.bytes()[0]).containsExactly((byte) 1, (byte) 3);
        assertThat(queue.droppedAudio()).isZero();
        assertThat(queue.droppedVideo()).isEqualTo(2);
    }

    @Test
    void controlMessagesJumpTheQueueWhenAskedTo() throws Exception {
        queue.offerMedia(bytes(10, 1), true, true);
        queue.offerControlFirst(bytes(5, 9));
        assertThat(drain()).extracting(i -> i.bytes()[0]).containsExactly((byte) 9, (byte) 1);
    }

    @Test
    void resetEmptiesTheQueueCountsTheDropsAndGatesVideo() {
        queue.offerMedia(bytes(10, 1), true, true);
        queue.offerMedia(bytes(10, 2), false, true);
        queue.reset();
        assertThat(queue.size()).isZero();
        assertThat(queue.droppedVideo()).isEqualTo(1);
        assertThat(queue.droppedAudio()).isEqualTo(1);
        assertThat(queue.offerMedia(bytes(10, 3), true, false)).isFalse();
    }
}
