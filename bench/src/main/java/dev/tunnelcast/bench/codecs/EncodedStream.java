package dev.tunnelcast.bench.codecs;

import dev.tunnelcast.agent.encode.VpxConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * An encoded clip read back packet by packet (JavaCV demuxer): sizes, keyframe flags and the
 * decoder configuration (avcC / av1C from the container), as the agent would send them.
 */
record EncodedStream(List<Packet> packets, byte[] decoderConfig, double seconds) {

    /** One access unit: its payload and whether it starts a GOP. */
    record Packet(byte[] data, boolean key, long ptsMicros) {}

    static EncodedStream read(Path file, double seconds) throws Exception {
        List<Packet> packets = new ArrayList<>();
        byte[] config;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            AVCodecParameters par = g.getFormatContext().streams(g.getVideoStream()).codecpar();
            config = new byte[Math.max(par.extradata_size(), 0)];
            if (config.length > 0) {
                par.extradata().get(config);
            }
            double timeBase = org.bytedeco.ffmpeg.global.avutil.av_q2d(g.getFormatContext().streams(g.getVideoStream()).time_base());
            AVPacket p;
            while ((p = g.grabPacket()) != null) {
                if (p.stream_index() != g.getVideoStream()) {
                    continue;
                }
                byte[] data = new byte[p.size()];
                p.data().get(data);
                packets.add(new Packet(data, (p.flags() & avcodec.AV_PKT_FLAG_KEY) != 0, Math.round(p.pts() * timeBase * 1e6)));
            }
            g.stop();
        }
        return new EncodedStream(packets, config, seconds);
    }

    long totalBytes() {
        return packets.stream().mapToLong(p -> p.data().length).sum();
    }

    double bitrateBps() {
        return totalBytes() * 8 / seconds;
    }

    List<Packet> keyframes() {
        return packets.stream().filter(Packet::key).toList();
    }

    double meanKeyframeBytes() {
        return keyframes().stream().mapToInt(p -> p.data().length).average().orElse(0);
    }

    int maxKeyframeBytes() {
        return keyframes().stream().mapToInt(p -> p.data().length).max().orElse(0);
    }

    /** The first {@code count} packets from the first keyframe on: what a player gets in its first second. */
    List<Packet> head(int count) {
        int first = 0;
        while (first < packets.size() && !packets.get(first).key()) {
            first++;
        }
        return packets.subList(first, Math.min(packets.size(), first + count));
    }

    /**
     * The RFC 6381 / WebM codec string the agent would announce: avc1 from the avcC header,
     * av01 from the av1C header, VP8/VP9 as the agent's {@link VpxConfig} names them for the size and rate.
     */
    String codecString(String family, int width, int height, int fps) {
        return switch (family) {
            case "h264" -> decoderConfig.length >= 4
                    ? String.format("avc1.%02X%02X%02X", decoderConfig[1] & 0xFF, decoderConfig[2] & 0xFF, decoderConfig[3] & 0xFF)
                    : "avc1.64001F";
            case "av1" -> av1CodecString(decoderConfig);
            case "vp9" -> VpxConfig.vp9(width, height, fps).codecString();
            case "vp8" -> VpxConfig.vp8().codecString();
            default -> throw new IllegalArgumentException("unknown codec family " + family);
        };
    }

    /** {@code av01.P.LLT.DD} from an AV1CodecConfigurationRecord (profile, level index, tier, bit depth). */
    static String av1CodecString(byte[] av1c) {
        if (av1c.length < 3) {
            return "av01.0.05M.08";
        }
        int profile = (av1c[1] & 0xFF) >> 5;
        int level = av1c[1] & 0x1F;
        boolean highTier = (av1c[2] & 0x80) != 0;
        boolean highBitdepth = (av1c[2] & 0x40) != 0;
        boolean twelveBit = (av1c[2] & 0x20) != 0;
        int depth = highBitdepth ? (twelveBit ? 12 : 10) : 8;
        return String.format("av01.%d.%02d%s.%02d", profile, level, highTier ? "H" : "M", depth);
    }
}
