package dev.tunnelcast.bench.codecs;

import java.util.ArrayList;
import java.util.List;

/**
 * One encoder with realtime-oriented settings, as ffmpeg options. Every config gets a keyframe
 * every {@code keyframeIntervalFrames}, no B-frames / no lookahead, and CBR-like rate control
 * (target = max rate, half a second of buffer, like the agent's x264 VBV).
 *
 * @param name    short label for tables and plots ("x264 veryfast")
 * @param family  the codec: h264, vp8, vp9 or av1
 * @param encoder FFmpeg's encoder name
 * @param options the encoder's own realtime options
 * @param rateLimited whether rate control is given maxrate/bufsize (CBR-like through VBV)
 */
record EncoderConfig(String name, String family, String encoder, List<String> options, boolean rateLimited) {

    static final int KEYFRAME_INTERVAL_FRAMES = 60;

    /** The sweep's encoders: what an agent can run at 720p30 in real time on a small CPU. */
    static List<EncoderConfig> defaults() {
        List<String> x264 = List.of("-tune", "zerolatency", "-profile:v", "high", "-forced-idr", "1",
                "-x264-params", "scenecut=0:open-gop=0:bframes=0");
        List<EncoderConfig> configs = new ArrayList<>();
        for (String preset : List.of("ultrafast", "superfast", "veryfast")) {
            List<String> o = new ArrayList<>(List.of("-preset", preset));
            o.addAll(x264);
            configs.add(new EncoderConfig("x264 " + preset, "h264", "libx264", o, true));
        }
        // Like the agent: bitrate rate control, never skip frames.
        configs.add(new EncoderConfig("openh264", "h264", "libopenh264",
                List.of("-rc_mode", "bitrate", "-allow_skip_frames", "0"), true));
        // libvpx and SVT-AV1 exactly as the agent's VpxEncoder / Av1Encoder set them up.
        List<String> vpxRealtime = List.of("-deadline", "realtime", "-lag-in-frames", "0", "-error-resilient", "default",
                "-auto-alt-ref", "0", "-max-intra-rate", "300");
        List<String> vp8 = new ArrayList<>(List.of("-cpu-used", "12"));
        vp8.addAll(vpxRealtime);
        configs.add(new EncoderConfig("VP8 rt", "vp8", "libvpx", vp8, true));
        List<String> vp9 = new ArrayList<>(List.of("-cpu-used", "8"));
        vp9.addAll(vpxRealtime);
        vp9.addAll(List.of("-row-mt", "1", "-aq-mode", "3", "-tile-columns", "1"));
        configs.add(new EncoderConfig("VP9 rt", "vp9", "libvpx-vp9", vp9, true));
        // Low delay (pred-struct=1, no lookahead, no scene-cut keyframes). Preset 10 is SVT-AV1's
        // fastest there: 3.1 maps 11-13 to 10 in low delay.
        configs.add(new EncoderConfig("SVT-AV1 p10", "av1", "libsvtav1", List.of("-preset", "10", "-qmin", "1", "-qmax", "63",
                "-svtav1-params", "pred-struct=1:scd=0:lookahead=0"), true));
        return configs;
    }

    /** ffmpeg output options for this encoder at {@code bitrateBps}; {@code threads} 0 keeps FFmpeg's default. */
    List<String> outputArgs(int bitrateBps, int threads) {
        List<String> args = new ArrayList<>(List.of("-c:v", encoder));
        args.addAll(options);
        args.addAll(List.of("-b:v", Integer.toString(bitrateBps), "-g", Integer.toString(KEYFRAME_INTERVAL_FRAMES)));
        if (rateLimited) {
            args.addAll(List.of("-maxrate", Integer.toString(bitrateBps), "-bufsize", Integer.toString(bitrateBps / 2)));
        }
        if (family.equals("vp8") || family.equals("vp9")) {
            args.addAll(List.of("-minrate", Integer.toString(bitrateBps))); // min = max = target: libvpx's CBR mode
        }
        if (family.equals("h264")) {
            args.addAll(List.of("-bf", "0", "-keyint_min", Integer.toString(KEYFRAME_INTERVAL_FRAMES)));
        }
        if (threads > 0) {
            args.addAll(List.of("-threads", Integer.toString(threads)));
        }
        return args;
    }
}
