package dev.tunnelcast.agent.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Av1BitstreamTest {

    // A real SVT-AV1 sequence header OBU (320x240, profile 0, level 2.0, 8-bit 4:2:0) is
    // checked in VideoCodecEncodersTest; here the OBU framing and the av1C layout.

    @Test
    void dropsTemporalDelimitersAndKeepsTheRest() {
        byte[] tu = {0x12, 0x00, 0x32, 0x02, 0x11, 0x22, 0x12, 0x00};
        assertThat(Av1Bitstream.split(tu)).extracting(Av1Bitstream.Obu::type).containsExactly(2, 6, 2);
        assertThat(Av1Bitstream.withoutTemporalDelimiters(tu)).containsExactly(0x32, 0x02, 0x11, 0x22);
    }

    @Test
    void refusesBrokenObus() {
        assertThatThrownBy(() -> Av1Bitstream.split(new byte[] {0x32, 0x05, 1})).hasMessageContaining("runs past the end");
        assertThatThrownBy(() -> Av1Bitstream.split(new byte[] {0x30, 0x01})).hasMessageContaining("without a size field");
        assertThatThrownBy(() -> Av1Bitstream.split(new byte[] {(byte) 0xB2, 0x00})).hasMessageContaining("forbidden bit");
    }

    @Test
    void av1CAndCodecStringFollowTheBinding() {
        byte[] obu = {0x0A, 0x01, 0x00};
        var seq = new Av1Bitstream.SequenceHeader(0, 8, 1, 10, false, 1, 1, 0, obu);
        assertThat(seq.codecString()).isEqualTo("av01.0.08H.10");
        assertThat(seq.av1C()).containsExactly(0x81, 0x08, 0b1100_1100, 0x00, 0x0A, 0x01, 0x00);
    }
}
