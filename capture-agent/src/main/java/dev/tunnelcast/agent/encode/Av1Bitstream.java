package dev.tunnelcast.agent.encode;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The little of AV1's low-overhead bitstream format the agent needs: splitting a temporal
 * unit into OBUs, dropping temporal delimiters (the ISO-BMFF binding's sample form), and
 * reading the sequence header for the codec string ({@code av01.P.LLT.DD}) and the av1C.
 */
public final class Av1Bitstream {

    public static final int OBU_SEQUENCE_HEADER = 1;
    public static final int OBU_TEMPORAL_DELIMITER = 2;

    private Av1Bitstream() {}

    /** One OBU: its type and its bytes, header included. */
    public record Obu(int type, byte[] bytes) {}

    /** What the codec string and av1C say about a stream, read from its sequence header. */
    public record SequenceHeader(int profile, int level, int tier, int bitDepth, boolean monochrome,
                                 int subsamplingX, int subsamplingY, int chromaSamplePosition, byte[] obu) {

        /** {@code av01.P.LLT.DD}, the AV1 codec ISO-BMFF binding's short form. */
        public String codecString() {
            return String.format("av01.%d.%02d%s.%02d", profile, level, tier == 0 ? "M" : "H", bitDepth);
        }

        /** The AV1CodecConfigurationRecord, with the sequence header OBU as its configOBUs. */
        public byte[] av1C() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0x81); // marker, version 1
            out.write((profile << 5) | level);
            out.write((tier << 7) | ((bitDepth > 8 ? 1 : 0) << 6) | ((bitDepth == 12 ? 1 : 0) << 5)
                    | ((monochrome ? 1 : 0) << 4) | (subsamplingX << 3) | (subsamplingY << 2) | chromaSamplePosition);
            out.write(0); // no initial_presentation_delay
            out.writeBytes(obu);
            return out.toByteArray();
        }
    }

    /** Splits a temporal unit whose OBUs all carry a size field (what every encoder emits). */
    public static List<Obu> split(byte[] data) {
        List<Obu> obus = new ArrayList<>();
        int at = 0;
        while (at < data.length) {
            int start = at;
            int header = data[at++] & 0xFF;
            if ((header & 0x80) != 0) {
                throw new IllegalArgumentException("bad AV1 OBU: forbidden bit set at " + start);
            }
            if ((header & 0x04) != 0) {
                at++; // extension header
            }
            if ((header & 0x02) == 0) {
                throw new IllegalArgumentException("AV1 OBU without a size field at " + start);
            }
            long size = 0;
            for (int i = 0; ; i++) {
                if (at >= data.length || i == 8) {
                    throw new IllegalArgumentException("bad AV1 OBU size at " + start);
                }
                int b = data[at++] & 0xFF;
                size |= (long) (b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            if (size > data.length - at) {
                throw new IllegalArgumentException("AV1 OBU at " + start + " runs past the end");
            }
            at += (int) size;
            obus.add(new Obu((header >> 3) & 0x0F, java.util.Arrays.copyOfRange(data, start, at)));
        }
        return obus;
    }

    /** The temporal unit without temporal delimiters: an MP4 sample (and what the wire carries). */
    public static byte[] withoutTemporalDelimiters(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
        for (Obu obu : split(data)) {
            if (obu.type() != OBU_TEMPORAL_DELIMITER) {
                out.writeBytes(obu.bytes());
            }
        }
        return out.toByteArray();
    }

    /** The first sequence header in {@code data} (OBUs, e.g. an encoder's global header), or null. */
    public static SequenceHeader findSequenceHeader(byte[] data) {
        for (Obu obu : split(data)) {
            if (obu.type() == OBU_SEQUENCE_HEADER) {
                return parseSequenceHeader(obu.bytes());
            }
        }
        return null;
    }

    /** Parses a sequence header OBU (spec 5.5) up to its colour config. */
    static SequenceHeader parseSequenceHeader(byte[] obu) {
        int at = 1 + (((obu[0] & 0x04) != 0) ? 1 : 0);
        while ((obu[at++] & 0x80) != 0) {
            // skip the leb128 size
        }
        Bits b = new Bits(obu, at);
        int profile = b.read(3);
        b.read(1); // still_picture
        boolean reduced = b.flag();
        int level;
        int tier = 0;
        if (reduced) {
            level = b.read(5);
        } else {
            boolean decoderModelInfo = false;
            int bufferDelayLength = 0;
            if (b.flag()) { // timing_info_present_flag
                b.read(32);
                b.read(32);
                if (b.flag()) { // equal_picture_interval
                    b.uvlc();
                }
                decoderModelInfo = b.flag();
                if (decoderModelInfo) {
                    bufferDelayLength = b.read(5) + 1;
                    b.read(32); // num_units_in_decoding_tick
                    b.read(5);
                    b.read(5);
                }
            }
            boolean initialDisplayDelay = b.flag();
            int operatingPoints = b.read(5) + 1;
            level = -1;
            for (int i = 0; i < operatingPoints; i++) {
                b.read(12); // operating_point_idc
                int opLevel = b.read(5);
                int opTier = opLevel > 7 ? b.read(1) : 0;
                if (i == 0) {
                    level = opLevel;
                    tier = opTier;
                }
                if (decoderModelInfo && b.flag()) {
                    b.read(bufferDelayLength);
                    b.read(bufferDelayLength);
                    b.read(1);
                }
                if (initialDisplayDelay && b.flag()) {
                    b.read(4);
                }
            }
        }
        int widthBits = b.read(4) + 1;
        int heightBits = b.read(4) + 1;
        b.read(widthBits);
        b.read(heightBits);
        if (!reduced && b.flag()) { // frame_id_numbers_present_flag
            b.read(4);
            b.read(3);
        }
        b.read(3); // use_128x128_superblock, enable_filter_intra, enable_intra_edge_filter
        if (!reduced) {
            b.read(4); // interintra, masked compound, warped motion, dual filter
            boolean orderHint = b.flag();
            if (orderHint) {
                b.read(2); // jnt_comp, ref_frame_mvs
            }
            int forceScreenContentTools = b.flag() ? 2 : b.read(1);
            if (forceScreenContentTools > 0 && !b.flag()) {
                b.read(1); // seq_force_integer_mv
            }
            if (orderHint) {
                b.read(3);
            }
        }
        b.read(3); // enable_superres, enable_cdef, enable_restoration
        // color_config
        int bitDepth = 8;
        if (b.flag()) {
            bitDepth = profile == 2 && b.flag() ? 12 : 10;
        }
        boolean mono = profile != 1 && b.flag();
        int cp = 2;
        int tc = 2;
        int mc = 2;
        if (b.flag()) {
            cp = b.read(8);
            tc = b.read(8);
            mc = b.read(8);
        }
        int ssx = 1;
        int ssy = 1;
        int csp = 0;
        if (mono) {
            b.read(1);
        } else if (cp == 1 && tc == 13 && mc == 0) {
            ssx = 0;
            ssy = 0;
        } else {
            b.read(1); // color_range
            if (profile == 0) {
                ssx = 1;
                ssy = 1;
            } else if (profile == 1) {
                ssx = 0;
                ssy = 0;
            } else if (bitDepth == 12) {
                ssx = b.read(1);
                ssy = ssx == 1 ? b.read(1) : 0;
            } else {
                ssx = 1;
                ssy = 0;
            }
            if (ssx == 1 && ssy == 1) {
                csp = b.read(2);
            }
        }
        return new SequenceHeader(profile, level, tier, bitDepth, mono, ssx, ssy, csp, obu);
    }

    /** An MSB-first bit reader. */
    private static final class Bits {
        private final byte[] data;
        private long bit;

        Bits(byte[] data, int byteOffset) {
            this.data = data;
            this.bit = byteOffset * 8L;
        }

        int read(int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                int idx = (int) (bit >> 3);
                if (idx >= data.length) {
                    throw new IllegalArgumentException("AV1 sequence header ends early");
                }
                v = (v << 1) | ((data[idx] >> (7 - (bit & 7))) & 1);
                bit++;
            }
            return (int) v;
        }

        boolean flag() {
            return read(1) == 1;
        }

        void uvlc() {
            int zeros = 0;
            while (!flag()) {
                zeros++;
            }
            if (zeros < 32) {
                read(zeros);
            }
        }
    }
}
