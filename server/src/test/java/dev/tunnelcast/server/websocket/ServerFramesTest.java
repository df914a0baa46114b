package dev.tunnelcast.server.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ServerFramesTest {

    @Test
    void aShortPayloadHasTheSevenBitLength() {
        ByteBuffer frame = ServerFrames.binary(payload(125));

        assertThat(frame.remaining()).isEqualTo(2 + 125);
        assertThat(frame.get(0) & 0xFF).isEqualTo(0x82); // FIN, binary
        assertThat(frame.get(1) & 0xFF).isEqualTo(125); // no mask bit, 7-bit length
        assertPayloadAt(frame, 2, 125);
    }

    @Test
    void anEmptyPayloadIsTwoBytes() {
        ByteBuffer frame = ServerFrames.binary(ByteBuffer.allocate(0));

        assertThat(frame.remaining()).isEqualTo(2);
        assertThat(frame.get(1)).isZero();
    }

    @Test
    void from126BytesTheLengthTakes16Bits() {
        for (int length : new int[] {126, 0x1234, 0xFFFF}) {
            ByteBuffer frame = ServerFrames.binary(payload(length));

            assertThat(frame.remaining()).isEqualTo(4 + length);
            assertThat(frame.get(1) & 0xFF).isEqualTo(126);
            assertThat(frame.getShort(2) & 0xFFFF).isEqualTo(length);
            assertPayloadAt(frame, 4, length);
        }
    }

    @Test
    void from64KiBTheLengthTakes64Bits() {
        for (int length : new int[] {0x10000, 300_000}) {
            ByteBuffer frame = ServerFrames.binary(payload(length));

            assertThat(frame.remaining()).isEqualTo(10 + length);
            assertThat(frame.get(1) & 0xFF).isEqualTo(127);
            assertThat(frame.getLong(2)).isEqualTo(length);
            assertPayloadAt(frame, 10, length);
        }
    }

    @Test
    void theFrameIsReadOnlyAndThePayloadDoesNotMove() {
        ByteBuffer payload = payload(10);
        payload.position(3);

        ByteBuffer frame = ServerFrames.binary(payload);

        assertThat(frame.isReadOnly()).isTrue();
        assertThat(payload.position()).isEqualTo(3);
        assertThat(frame.get(1)).isEqualTo((byte) 7); // only what remained
        assertThat(frame.get(2)).isEqualTo((byte) 3);
    }

    @Test
    void headerSizesChangeAtTheRfcsBoundaries() {
        assertThat(ServerFrames.headerBytes(125)).isEqualTo(2);
        assertThat(ServerFrames.headerBytes(126)).isEqualTo(4);
        assertThat(ServerFrames.headerBytes(65_535)).isEqualTo(4);
        assertThat(ServerFrames.headerBytes(65_536)).isEqualTo(10);
    }

    private static ByteBuffer payload(int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        for (int i = 0; i < length; i++) {
            b.put((byte) i);
        }
        return b.flip();
    }

    private static void assertPayloadAt(ByteBuffer frame, int offset, int length) {
        assertThat(frame.slice(offset, frame.limit() - offset)).isEqualTo(payload(length));
    }
}
