package dev.tunnelcast.agent.encode;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.charset.StandardCharsets;

/** FFmpeg's error codes as text. */
public final class FFmpegErrors {
    private FFmpegErrors() {}

    public static String describe(int errorCode) {
        byte[] buf = new byte[256];
        av_strerror(errorCode, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8) + " (" + errorCode + ")";
    }
}
