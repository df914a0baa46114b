package dev.tunnelcast.agent.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class H264BitstreamTest {

    static final byte[] SPS = {0x67, 0x64, 0x00, 0x1F, (byte) 0xAC, 0x2B};
    static final byte[] PPS = {0x68, (byte) 0xEE, 0x3C, (byte) 0x80};

    @Test
    void splitsAnnexBWithThreeAndFourByteStartCodes() {
        byte[] stream = {0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65, 4, 5};
        List<byte[]> nals = H264Bitstream.splitAnnexB(stream);
        assertThat(nals).hasSize(3);
        assertThat(nals.get(0)).containsExactly(0x67, 1, 2);
        assertThat(nals.get(1)).containsExactly(0x68, 3);
        assertThat(nals.get(2)).containsExactly(0x65, 4, 5);
    }

    @Test
    void avccRoundTrips() {
        byte[] avcc = H264Bitstream.toAvcc(List.of(SPS, PPS));
        assertThat(avcc).startsWith(0, 0, 0, 6, 0x67);
        assertThat(H264Bitstream.splitAvcc(avcc)).hasSize(2);
        assertThatThrownBy(() -> H264Bitstream.splitAvcc(new byte[] {0, 0, 0, 9, 1})).hasMessageContaining("bad AVCC");
    }

    @Test
    void codecStringAndAvcCComeFromTheSps() {
        assertThat(H264Bitstream.codecString(SPS)).isEqualTo("avc1.64001F");
        byte[] avcC = H264Bitstream.avcC(List.of(SPS), List.of(PPS));
        assertThat(avcC).startsWith(1, 0x64, 0x00, 0x1F, 0xFF, 0xE1, 0, 6);
        assertThat(avcC.length).isEqualTo(6 + 2 + SPS.length + 1 + 2 + PPS.length + 4); // High: 4:2:0 8-bit extension
    }
}
