package dev.tunnelcast.server;

import static dev.tunnelcast.server.testing.Messages.AUDIO;
import static dev.tunnelcast.server.testing.Messages.VIDEO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.StatusCode;
import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A player that stops reading is dropped to keyframes and finally closed with 4408, while a
 * healthy player of the same stream receives every message.
 */
class SlowPlayerTest {

    @Test
    void aStalledPlayerIsDroppedToKeyframesAndClosedWhileAHealthyOneGetsEverything() throws Exception {
        try (Relay relay = Relay.start(TestRelays.config()
                // Bounds with headroom: the healthy player must keep up even on a busy machine.
                .playerQueueBytes(4 * 1024 * 1024)
                .playerQueueAge(Duration.ofSeconds(2))
                .slowPlayerTimeout(Duration.ofSeconds(2))
                .build())) {
            WsClient healthy = TestRelays.player(relay, "slow");
            WsClient stalled = TestRelays.player(relay, "slow");
            WsClient publisher = TestRelays.publisher(relay, "slow");
            stalled.pause();

            List<byte[]> sent = new ArrayList<>();
            sent.add(Messages.videoConfig(VIDEO).toByteArray());
            sent.add(Messages.audioConfig(AUDIO).toByteArray());
            sent.forEach(publisher::sendBytes);
            Publishing publishing = new Publishing(publisher, sent);
            Counter drops = () -> relay.metrics().registry().get("tunnelcast.drops").tag("stream", "slow").counter().count();

            // Phase 1: the player stops reading until video is dropped, then catches up.
            stalled.pause();
            publishing.until(() -> drops.value() > 0);
            publishing.packets(10);
            stalled.resume();
            publishing.packets(40);
            List<String> phase1 = summaries(stalled.nextUntilQuiet());
            assertThat(phase1).as("phase 1 summary").contains("DROPPED");
            checkDropsResumeAtKeyframes(phase1);
            assertThat(relay.metrics().refusals(CloseCode.CLOSE_CODE_SLOW_CONSUMER)).isZero();

            // Phase 2: it stops reading for good and is closed with 4408.
            stalled.pause();
            publishing.until(() -> relay.metrics().refusals(CloseCode.CLOSE_CODE_SLOW_CONSUMER) > 0);
            assertThat(relay.metrics().refusals(CloseCode.CLOSE_CODE_SLOW_CONSUMER)).isEqualTo(1.0);
            stalled.resume();
            WsClient.Closed closed = stalled.awaitClose(Duration.ofSeconds(15));
            assertThat(closed.code()).isEqualTo(CloseCode.CLOSE_CODE_SLOW_CONSUMER.getNumber());
            List<WsClient.Received> rest = stalled.drain();
            Envelope last = rest.get(rest.size() - 1).envelope();
            assertThat(last.getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_REFUSED);
            assertThat(last.getStatus().getCloseCode()).isEqualTo(4408);

            // The healthy player got every byte, in order.
            assertThat(healthy.next().envelope().getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_STREAM_ONLINE);
            for (int i = 0; i < sent.size(); i++) {
                assertThat(healthy.next().bytes()).as("message %d of %d", i, sent.size()).isEqualTo(sent.get(i));
            }
            assertThat(publisher.drain()).anyMatch(r -> r.envelope().hasKeyframeRequest());
            assertThat(healthy.isClosed()).isFalse();
            healthy.close();
            publisher.close();
        }
    }

    private interface Counter {
        double value();
    }

    /** Publishes 32 KiB video (a keyframe every 10) and small audio packets about every 3 ms. */
    private static final class Publishing {
        private final WsClient publisher;
        private final List<byte[]> sent;
        private int seq;

        Publishing(WsClient publisher, List<byte[]> sent) {
            this.publisher = publisher;
            this.sent = sent;
        }

        void until(java.util.function.BooleanSupplier done) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!done.getAsBoolean()) {
                assertThat(System.nanoTime()).as("condition reached within 30 s").isLessThan(deadline);
                packets(1);
            }
        }

        void packets(int n) throws InterruptedException {
            for (int i = 0; i < n; i++) {
                byte[] video = Messages.packet(VIDEO, seq, seq % 10 == 0, 32 * 1024).toByteArray();
                byte[] audio = Messages.packet(AUDIO, seq, false, 120).toByteArray();
                publisher.sendBytes(video);
                publisher.sendBytes(audio);
                sent.add(video);
                sent.add(audio);
                seq++;
                Thread.sleep(3);
            }
        }
    }

    /** "V12K" (video 12, keyframe), "V13", "A12", "DROPPED", other status codes, "CONFIG". */
    private static List<String> summaries(List<WsClient.Received> received) {
        List<String> out = new ArrayList<>();
        for (WsClient.Received r : received) {
            Envelope e = r.envelope();
            if (e.hasMediaPacket()) {
                MediaPacket p = e.getMediaPacket();
                out.add((p.getTrackId() == VIDEO ? "V" : "A") + p.getSequence() + (p.getKeyframe() ? "K" : ""));
            } else if (e.hasStatus()) {
                out.add(e.getStatus().getCode() == StatusCode.STATUS_CODE_DROPPED ? "DROPPED" : e.getStatus().getCode().name());
            } else {
                out.add(e.getKindCase().name());
            }
        }
        return out;
    }

    private static void checkDropsResumeAtKeyframes(List<String> received) {
        long lastVideo = -1;
        long lastAudio = -1;
        boolean droppedSinceLastVideo = false;
        int gaps = 0;
        for (String m : received) {
            if (m.equals("DROPPED")) {
                droppedSinceLastVideo = true;
            } else if (m.startsWith("A")) {
                long seq = Long.parseLong(m.substring(1));
                if (lastAudio >= 0) {
                    assertThat(seq).as("audio is never dropped: %s", received).isEqualTo(lastAudio + 1);
                }
                lastAudio = seq;
            } else if (m.startsWith("V")) {
                long seq = Long.parseLong(m.replaceAll("[^0-9]", ""));
                if (lastVideo >= 0 && seq != lastVideo + 1) {
                    gaps++;
                    assertThat(droppedSinceLastVideo).as("a video gap is announced by Status{DROPPED}: %s", received).isTrue();
                    assertThat(m).as("video resumes at a keyframe after a gap: %s", received).endsWith("K");
                }
                droppedSinceLastVideo = false;
                lastVideo = seq;
            }
        }
        assertThat(gaps).as("video was dropped at least once: %s", received).isPositive();
        long notices = received.stream().filter("DROPPED"::equals).count();
        assertThat(notices).as("one Status{DROPPED} per drop episode, not per message").isBetween(1L, (long) gaps);
    }
}
