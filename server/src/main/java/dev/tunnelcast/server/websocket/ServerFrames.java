package dev.tunnelcast.server.websocket;

import java.nio.ByteBuffer;

/**
 * Server-to-client WebSocket frames (RFC 6455 section 5.2), built once and written as they are.
 * A server's frames are not masked, so a message's frame is the same bytes for every player:
 * the fan-out frames each message once and every player's send writes a read-only duplicate.
 * Final frames only (no fragmentation), no extensions (the relay negotiates none).
 */
public final class ServerFrames {

    /** FIN and the binary opcode. */
    private static final int FIN_BINARY = 0x82;
    /** Payload lengths up to this fit in the 7-bit length field. */
    static final int MAX_7_BIT_LENGTH = 125;
    /** Payload lengths up to this fit in the 16-bit extended length. */
    static final int MAX_16_BIT_LENGTH = 0xFFFF;
    private static final int LENGTH_16_BIT = 126;
    private static final int LENGTH_64_BIT = 127;

    private ServerFrames() {
    }

    /** How many header bytes a final, unmasked frame with this payload length has: 2, 4 or 10. */
    public static int headerBytes(int payloadLength) {
        if (payloadLength <= MAX_7_BIT_LENGTH) {
            return 2;
        }
        return payloadLength <= MAX_16_BIT_LENGTH ? 4 : 10;
    }

    /**
     * A final binary frame holding {@code payload}'s remaining bytes, read-only, position 0;
     * {@code payload}'s position does not move.
     */
    public static ByteBuffer binary(ByteBuffer payload) {
        int length = payload.remaining();
        ByteBuffer frame = ByteBuffer.allocate(headerBytes(length) + length);
        frame.put((byte) FIN_BINARY);
        if (length <= MAX_7_BIT_LENGTH) {
            frame.put((byte) length);
        } else if (length <= MAX_16_BIT_LENGTH) {
            frame.put((byte) LENGTH_16_BIT).putShort((short) length);
        } else {
            frame.put((byte) LENGTH_64_BIT).putLong(length);
        }
        frame.put(payload.duplicate());
        return frame.flip().asReadOnlyBuffer();
    }
}
