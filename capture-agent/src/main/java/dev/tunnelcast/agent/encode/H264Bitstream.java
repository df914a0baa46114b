package dev.tunnelcast.agent.encode;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * H.264 byte-stream helpers: splitting Annex B, writing AVCC (4-byte lengths), building the
 * avcC decoder configuration (ISO/IEC 14496-15 §5.3.3) and the RFC 6381 codec string.
 */
public final class H264Bitstream {

    public static final int NAL_IDR = 5;
    public static final int NAL_SEI = 6;
    public static final int NAL_SPS = 7;
    public static final int NAL_PPS = 8;
    public static final int NAL_AUD = 9;

    private H264Bitstream() {}

    public static int nalType(byte[] nal) {
        return nal[0] & 0x1F;
    }

    /** Splits an Annex B byte stream (3- or 4-byte start codes) into NAL units without start codes. */
    public static List<byte[]> splitAnnexB(byte[] data) {
        List<byte[]> nals = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i + 2 < data.length) {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
                if (start >= 0) {
                    nals.add(trimmed(data, start, i));
                }
                i += 3;
                start = i;
            } else {
                i++;
            }
        }
        if (start >= 0 && start < data.length) {
            nals.add(trimmed(data, start, data.length));
        }
        nals.removeIf(n -> n.length == 0);
        return nals;
    }

    /**
     * True if the buffer starts with a 4-byte Annex B start code. (A 3-byte start code is
     * indistinguishable from an AVCC length of 256..511; encoders start access units with
     * the 4-byte form, and an AVCC NAL unit of length 1 does not occur.)
     */
    public static boolean isAnnexB(byte[] data) {
        return data.length >= 4 && data[0] == 0 && data[1] == 0 && data[2] == 0 && data[3] == 1;
    }

    /** Splits AVCC (4-byte big-endian lengths) into NAL units; throws on a malformed buffer. */
    public static List<byte[]> splitAvcc(byte[] data) {
        List<byte[]> nals = new ArrayList<>();
        int i = 0;
        while (i < data.length) {
            if (i + 4 > data.length) {
                throw new IllegalArgumentException("truncated AVCC length at " + i);
            }
            int len = ((data[i] & 0xFF) << 24) | ((data[i + 1] & 0xFF) << 16) | ((data[i + 2] & 0xFF) << 8) | (data[i + 3] & 0xFF);
            i += 4;
            if (len <= 0 || i + len > data.length) {
                throw new IllegalArgumentException("bad AVCC NAL length " + len + " at " + (i - 4));
            }
            byte[] nal = new byte[len];
            System.arraycopy(data, i, nal, 0, len);
            nals.add(nal);
            i += len;
        }
        return nals;
    }

    public static byte[] toAvcc(List<byte[]> nals) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] nal : nals) {
            int n = nal.length;
            out.write(n >>> 24);
            out.write(n >>> 16);
            out.write(n >>> 8);
            out.write(n);
            out.write(nal, 0, n);
        }
        return out.toByteArray();
    }

    /** {@code avc1.PPCCLL} from an SPS NAL unit (profile, constraint flags, level). */
    public static String codecString(byte[] sps) {
        requireSps(sps);
        return String.format("avc1.%02X%02X%02X", sps[1] & 0xFF, sps[2] & 0xFF, sps[3] & 0xFF);
    }

    /**
     * The avcC box payload (AVCDecoderConfigurationRecord) for 4-byte NAL lengths. For the
     * High profiles it carries the 4:2:0 8-bit extension fields, which is what the encoder
     * is configured to produce.
     */
    public static byte[] avcC(List<byte[]> spsList, List<byte[]> ppsList) {
        if (spsList.isEmpty() || ppsList.isEmpty()) {
            throw new IllegalArgumentException("avcC needs at least one SPS and one PPS");
        }
        byte[] sps = spsList.get(0);
        requireSps(sps);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        out.write(sps[1]);
        out.write(sps[2]);
        out.write(sps[3]);
        out.write(0xFC | 3); // lengthSizeMinusOne = 3
        out.write(0xE0 | spsList.size());
        for (byte[] s : spsList) {
            writeWithLength16(out, s);
        }
        out.write(ppsList.size());
        for (byte[] p : ppsList) {
            writeWithLength16(out, p);
        }
        int profile = sps[1] & 0xFF;
        if (profile == 100 || profile == 110 || profile == 122 || profile == 144) {
            out.write(0xFC | 1); // chroma_format_idc 4:2:0
            out.write(0xF8);     // bit_depth_luma_minus8 = 0
            out.write(0xF8);     // bit_depth_chroma_minus8 = 0
            out.write(0);        // no SPS extensions
        }
        return out.toByteArray();
    }

    private static void writeWithLength16(ByteArrayOutputStream out, byte[] nal) {
        out.write(nal.length >>> 8);
        out.write(nal.length);
        out.write(nal, 0, nal.length);
    }

    private static void requireSps(byte[] sps) {
        if (sps.length < 4 || nalType(sps) != NAL_SPS) {
            throw new IllegalArgumentException("not an SPS NAL unit");
        }
    }

    private static byte[] trimmed(byte[] data, int from, int to) {
        // A 4-byte start code leaves a trailing zero on the previous NAL unit.
        while (to > from && data[to - 1] == 0) {
            to--;
        }
        byte[] nal = new byte[to - from];
        System.arraycopy(data, from, nal, 0, nal.length);
        return nal;
    }
}
