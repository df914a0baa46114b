package dev.tunnelcast.bench.fanout;

import java.nio.ByteBuffer;

/**
 * Incremental parser of the server-to-client side of a WebSocket (RFC 6455): unmasked
 * frames, possibly fragmented. It keeps only the first {@link #PREFIX_BYTES} bytes of each
 * data message (enough for the protobuf header fields) and skips the rest without copying,
 * so one load generator thread can follow a thousand players.
 */
final class WsFrameParser {
    static final int PREFIX_BYTES = 96;

    /** What the parser hands on. */
    interface Sink {
        /** A complete data message; only its first {@code prefixLength} bytes are kept. */
        void message(byte[] prefix, int prefixLength, long totalLength);

        void ping(byte[] payload, int length);

        void close(int code);
    }

    private final byte[] header = new byte[14];
    private int headerHave;
    private final byte[] prefix = new byte[PREFIX_BYTES];
    private int prefixHave;
    private long messageLength;
    private final byte[] control = new byte[125];
    private int controlHave;
    private boolean inHeader = true;
    private int opcode;
    private boolean fin;
    private long payloadRemaining;

    void feed(ByteBuffer data, Sink sink) {
        while (data.hasRemaining()) {
            if (inHeader) {
                if (!readHeader(data)) return;
                if (payloadRemaining == 0) finishFrame(sink);
            } else {
                int n = (int) Math.min(payloadRemaining, data.remaining());
                if (opcode >= 8) {
                    data.get(control, controlHave, n);
                    controlHave += n;
                } else {
                    int keep = Math.min(n, PREFIX_BYTES - prefixHave);
                    if (keep > 0) {
                        data.get(prefix, prefixHave, keep);
                        prefixHave += keep;
                    }
                    data.position(data.position() + (n - keep));
                    messageLength += n;
                }
                payloadRemaining -= n;
                if (payloadRemaining == 0) finishFrame(sink);
            }
        }
    }

    private boolean readHeader(ByteBuffer data) {
        while (data.hasRemaining()) {
            header[headerHave++] = data.get();
            if (headerHave < 2) continue;
            int lengthCode = header[1] & 0x7F;
            int needed = 2 + (lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0);
            if (headerHave < needed) continue;
            fin = (header[0] & 0x80) != 0;
            int frameOpcode = header[0] & 0x0F;
            if (frameOpcode != 0) opcode = frameOpcode; // 0 continues the current message
            payloadRemaining = lengthCode < 126 ? lengthCode
                    : lengthCode == 126 ? ((header[2] & 0xFF) << 8) | (header[3] & 0xFF)
                    : ByteBuffer.wrap(header, 2, 8).getLong();
            if (opcode >= 8) controlHave = 0;
            headerHave = 0;
            inHeader = false;
            return true;
        }
        return false;
    }

    private void finishFrame(WsFrameParser.Sink sink) {
        inHeader = true;
        switch (opcode) {
            case 9 -> sink.ping(control, controlHave);
            case 8 -> sink.close(controlHave >= 2 ? ((control[0] & 0xFF) << 8) | (control[1] & 0xFF) : 1005);
            case 10 -> { }
            default -> {
                if (fin) {
                    sink.message(prefix, prefixHave, messageLength);
                    prefixHave = 0;
                    messageLength = 0;
                }
            }
        }
    }
}
