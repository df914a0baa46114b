package dev.tunnelcast.agent.encode;

/**
 * The VP codec ISO-BMFF binding's view of a VP8/VP9 stream: its codec string
 * ({@code vp8}, or {@code vp09.PP.LL.DD}) and its VP codec configuration box body (vpcC,
 * version 1, including the full box's version and flags). The agent encodes 8-bit 4:2:0,
 * profile 0, limited range, colour description unspecified; the VP9 level is the lowest
 * whose picture size and sample rate fit the stream.
 */
public record VpxConfig(String codecString, int profile, int level, int bitDepth) {

    /** chroma subsampling 1: 4:2:0 co-sited with luma, FFmpeg's reading of an unspecified location. */
    private static final int CHROMA_420_COLOCATED = 1;
    private static final int UNSPECIFIED = 2;

    /** VP9 levels: {level × 10, max luma picture size, max luma sample rate}. */
    private static final long[][] VP9_LEVELS = {
        {10, 36_864, 829_440}, {11, 73_728, 2_764_800}, {20, 122_880, 4_608_000}, {21, 245_760, 9_216_000},
        {30, 552_960, 20_736_000}, {31, 983_040, 36_864_000}, {40, 2_228_224, 83_558_400},
        {41, 2_228_224, 160_432_128}, {50, 8_912_896, 311_951_360}, {51, 8_912_896, 588_251_136},
        {52, 8_912_896, 1_176_502_272}, {60, 35_651_584, 1_176_502_272}, {61, 35_651_584, 2_353_004_544L},
        {62, 35_651_584, 4_706_009_088L},
    };

    public static VpxConfig vp8() {
        return new VpxConfig("vp8", 0, 0, 8);
    }

    public static VpxConfig vp9(int width, int height, int frameRate) {
        int level = vp9Level((long) width * height, (long) width * height * frameRate);
        return new VpxConfig(String.format("vp09.00.%02d.08", level), 0, level, 8);
    }

    static int vp9Level(long pictureSize, long sampleRate) {
        for (long[] l : VP9_LEVELS) {
            if (pictureSize <= l[1] && sampleRate <= l[2]) {
                return (int) l[0];
            }
        }
        return 62;
    }

    /** vpcC: version 1, flags 0, then the VPCodecConfigurationRecord with no initialization data. */
    public byte[] vpcC() {
        return new byte[] {
            1, 0, 0, 0,
            (byte) profile, (byte) level,
            (byte) ((bitDepth << 4) | (CHROMA_420_COLOCATED << 1)), // video_full_range_flag 0
            UNSPECIFIED, UNSPECIFIED, UNSPECIFIED, // colour primaries, transfer, matrix
            0, 0, // codecInitializationDataSize
        };
    }
}
