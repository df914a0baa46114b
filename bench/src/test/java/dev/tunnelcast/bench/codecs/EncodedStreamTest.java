package dev.tunnelcast.bench.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EncodedStreamTest {

    private static EncodedStream.Packet packet(int size, boolean key, long pts) {
        return new EncodedStream.Packet(new byte[size], key, pts);
    }

    @Test
    void keyframeSizesAndBitrate() {
        EncodedStream s = new EncodedStream(List.of(packet(1000, true, 0), packet(100, false, 33_333),
                packet(3000, true, 66_667), packet(100, false, 100_000)), new byte[0], 2.0);
        assertEquals(4200, s.totalBytes());
        assertEquals(16_800, s.bitrateBps(), 1e-9);
        assertEquals(2, s.keyframes().size());
        assertEquals(2000, s.meanKeyframeBytes(), 1e-9);
        assertEquals(3000, s.maxKeyframeBytes());
    }

    @Test
    void headStartsAtTheFirstKeyframe() {
        EncodedStream s = new EncodedStream(List.of(packet(1, false, 0), packet(2, true, 1), packet(3, false, 2),
                packet(4, false, 3)), new byte[0], 1.0);
        List<EncodedStream.Packet> head = s.head(2);
        assertEquals(2, head.size());
        assertEquals(2, head.get(0).data().length);
        assertEquals(3, head.get(1).data().length);
        assertEquals(3, s.head(10).size());
    }

    @Test
    void h264CodecStringComesFromTheAvcCHeader() {
        byte[] avcC = {1, 0x64, 0x00, 0x1F, (byte) 0xFF};
        assertEquals("avc1.64001F", new EncodedStream(List.of(), avcC, 1).codecString("h264", 1280, 720, 30));
    }

    @Test
    void av1CodecStringComesFromTheAv1CHeader() {
        // marker/version, seq_profile 0 + level index 5, main tier 8-bit 4:2:0
        assertEquals("av01.0.05M.08", EncodedStream.av1CodecString(new byte[] {(byte) 0x81, 0x05, 0x0C, 0}));
        // profile 1, level 8 (4.0), high tier, 10-bit
        assertEquals("av01.1.08H.10", EncodedStream.av1CodecString(new byte[] {(byte) 0x81, 0x28, (byte) 0xC0, 0}));
        assertEquals("av01.0.05M.08", EncodedStream.av1CodecString(new byte[0]));
    }

    @Test
    void vpxCodecStrings() {
        EncodedStream s = new EncodedStream(List.of(), new byte[0], 1);
        assertEquals("vp8", s.codecString("vp8", 1280, 720, 30));
        assertEquals("vp09.00.31.08", s.codecString("vp9", 1280, 720, 30));
        assertEquals("vp09.00.40.08", s.codecString("vp9", 1920, 1080, 30));
    }
}
