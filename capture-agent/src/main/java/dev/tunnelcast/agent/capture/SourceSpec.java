package dev.tunnelcast.agent.capture;

import java.util.Locale;
import java.util.Set;

/**
 * A capture source named in FFmpeg's own terms: an input format and what it opens
 * ({@code v4l2:/dev/video0}, {@code pulse:default}, {@code alsa:hw:0}, {@code x11grab::0.0},
 * {@code lavfi:testsrc2}), a media file (looped and paced in real time), a network URL
 * ({@code rtsp://…}, {@code rtmp://…}, {@code srt://…}), or {@code synthetic}.
 */
public record SourceSpec(Kind kind, String format, String target) {

    public enum Kind { SYNTHETIC, DEVICE, FILE, URL }

    private static final Set<String> DEVICE_FORMATS = Set.of("v4l2", "video4linux2", "alsa", "pulse", "x11grab",
            "lavfi", "fbdev", "kmsgrab", "oss", "jack");
    private static final Set<String> URL_SCHEMES = Set.of("rtsp", "rtsps", "rtmp", "rtmps", "srt", "http", "https",
            "udp", "tcp", "rtp");

    public static final SourceSpec SYNTHETIC = new SourceSpec(Kind.SYNTHETIC, "lavfi", "");

    public static SourceSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty source");
        }
        String s = text.trim();
        if (s.equalsIgnoreCase("synthetic") || s.equalsIgnoreCase("test")) {
            return SYNTHETIC;
        }
        int colon = s.indexOf(':');
        String prefix = colon > 0 ? s.substring(0, colon).toLowerCase(Locale.ROOT) : "";
        if (s.contains("://") && URL_SCHEMES.contains(prefix)) {
            return new SourceSpec(Kind.URL, "", s);
        }
        if (prefix.equals("file")) {
            return new SourceSpec(Kind.FILE, "", s.substring(colon + 1));
        }
        if (DEVICE_FORMATS.contains(prefix)) {
            String format = prefix.equals("v4l2") ? "video4linux2" : prefix;
            return new SourceSpec(Kind.DEVICE, format, s.substring(colon + 1));
        }
        if (colon > 0 && !s.startsWith("/") && !s.startsWith(".")) {
            throw new IllegalArgumentException("unknown source '" + s + "': use synthetic, FORMAT:DEVICE (v4l2, alsa, "
                    + "pulse, x11grab, lavfi), file:PATH or a URL (rtsp://, rtmp://, srt://)");
        }
        return new SourceSpec(Kind.FILE, "", s);
    }

    /** How the user wrote it, for messages. */
    public String describe() {
        return switch (kind) {
            case SYNTHETIC -> "synthetic";
            case DEVICE -> (format.equals("video4linux2") ? "v4l2" : format) + ":" + target;
            case FILE, URL -> target;
        };
    }
}
