package dev.tunnelcast.server;

import static dev.tunnelcast.server.testing.Messages.AUDIO;
import static dev.tunnelcast.server.testing.Messages.VIDEO;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.proto.v1.StatusCode;
import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.RawSocket;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The frames a player gets when the relay writes its queue with gathering writes that the
 * socket takes only in part: a player that reads nothing while megabytes are published, then
 * reads them all. Each frame must arrive whole, in order, with the relay's pings (every 100 ms)
 * and its Welcome and Status as whole frames between them, never inside one; the payloads are
 * the publisher's bytes. Message sizes cover the three header forms (7-, 16- and 64-bit lengths).
 */
class GatheredWritesTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Sizes cycled through: 7-bit, 16-bit and 64-bit frame lengths. */
    private static final int[] PAYLOAD_BYTES = {40, 125, 126, 3_000, 65_535, 70_000};

    @Test
    void aSlowReaderGetsEveryFrameWholeAndInOrder() throws InvalidProtocolBufferException {
        // Bounds far above what is published: nothing may be dropped, any difference is a framing fault.
        RelayConfig config = TestRelays.config().playerSocketSendBuffer(4096)
                .playerQueueBytes(256L * 1024 * 1024).playerQueueAge(Duration.ofMinutes(5))
                .slowPlayerTimeout(Duration.ofMinutes(5))
                .pingInterval(Duration.ofMillis(100)).pongTimeout(Duration.ofMinutes(1)).build();
        try (Relay relay = Relay.start(config); RawSocket player = new RawSocket(relay, WAIT)) {
            player.upgrade("/ws/play/gathered");
            player.sendBinary(Messages.hello(Role.ROLE_PLAYER));
            List<byte[]> sent = new ArrayList<>();
            try (WsClient publisher = TestRelays.publisher(relay, "gathered")) {
                readUntilOnline(player);
                sent.add(Messages.videoConfig(VIDEO).toByteArray());
                sent.add(Messages.audioConfig(AUDIO).toByteArray());
                for (int i = 0; i < 120; i++) {
                    int size = PAYLOAD_BYTES[i % PAYLOAD_BYTES.length];
                    sent.add(Messages.packet(VIDEO, i, i % 30 == 0, size).toByteArray());
                    sent.add(Messages.packet(AUDIO, i, false, PAYLOAD_BYTES[(i + 3) % PAYLOAD_BYTES.length]).toByteArray());
                }
                // The player reads nothing meanwhile: ~8 MB against a 4 KiB send buffer and the
                // kernel's receive buffer, so the relay's writes are taken in part.
                sent.forEach(publisher::sendBytes);

                int received = 0;
                while (received < sent.size()) {
                    RawSocket.Frame frame = player.readFrame();
                    assertThat(frame).as("frame after %d of %d messages", received, sent.size()).isNotNull();
                    if (frame.opcode() == 0x9) {
                        player.sendPong(frame.payload());
                        continue;
                    }
                    assertThat(frame.opcode()).as("opcode after %d messages", received).isEqualTo(0x2);
                    Envelope envelope = Envelope.parseFrom(frame.payload());
                    if (envelope.hasStatus() || envelope.hasWelcome()) {
                        continue;
                    }
                    assertThat(frame.payload()).as("message %d", received).isEqualTo(sent.get(received));
                    received++;
                }
            }
        }
    }

    /** Reads the Welcome and what follows until the stream is online. */
    private static void readUntilOnline(RawSocket player) throws InvalidProtocolBufferException {
        for (;;) {
            RawSocket.Frame frame = player.readFrame();
            assertThat(frame).as("a frame before the stream is online").isNotNull();
            if (frame.opcode() == 0x9) {
                player.sendPong(frame.payload());
                continue;
            }
            Envelope envelope = Envelope.parseFrom(frame.payload());
            if (envelope.hasStatus() && envelope.getStatus().getCode() == StatusCode.STATUS_CODE_STREAM_ONLINE) {
                return;
            }
        }
    }
}
