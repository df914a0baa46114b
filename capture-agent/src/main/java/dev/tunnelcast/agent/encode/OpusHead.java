package dev.tunnelcast.agent.encode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** The Opus identification header (RFC 7845 §5.1), used as the audio track's decoder config. */
public record OpusHead(int channels, int preSkipSamples, int inputSampleRate) {

    public static final int SIZE = 19;

    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put("OpusHead".getBytes(StandardCharsets.US_ASCII));
        b.put((byte) 1);                // version
        b.put((byte) channels);
        b.putShort((short) preSkipSamples);
        b.putInt(inputSampleRate);
        b.putShort((short) 0);          // output gain
        b.put((byte) 0);                // channel mapping family 0: mono or stereo
        return b.array();
    }

    public static OpusHead parse(byte[] data) {
        if (data.length < SIZE || !new String(data, 0, 8, StandardCharsets.US_ASCII).equals("OpusHead")) {
            throw new IllegalArgumentException("not an OpusHead");
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        if (b.get(8) != 1) {
            throw new IllegalArgumentException("OpusHead version " + b.get(8));
        }
        return new OpusHead(b.get(9) & 0xFF, b.getShort(10) & 0xFFFF, b.getInt(12));
    }
}
