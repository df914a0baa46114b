package dev.tunnelcast.server.cluster;

import java.nio.charset.StandardCharsets;

/**
 * NATS subject and directory key names of a stream. A stream name may hold characters that
 * NATS gives a meaning to ({@code .} separates tokens) or forbids in keys, so every byte of
 * its UTF-8 form outside {@code [A-Za-z0-9_-]} is written {@code =XX} (hex): {@code room.alice}
 * becomes {@code room=2Ealice}, one token, and a valid key-value key.
 */
public final class StreamSubjects {

    /** Envelopes of a stream, byte for byte, and its publisher's online/offline events (headers). */
    static final String MEDIA_PREFIX = "tunnelcast.media.";
    /** Requests to the stream's publisher node: its TrackConfigs, a keyframe. */
    static final String CONTROL_PREFIX = "tunnelcast.control.";

    private StreamSubjects() {}

    /** The one-token form of {@code stream}. */
    public static String escape(String stream) {
        StringBuilder out = new StringBuilder(stream.length() + 8);
        for (byte b : stream.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
                out.append((char) c);
            } else {
                out.append('=').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** The stream name that {@link #escape} turned into {@code token}. */
    public static String unescape(String token) {
        byte[] bytes = new byte[token.length()];
        int n = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '=' && i + 2 < token.length()) {
                bytes[n++] = (byte) Integer.parseInt(token.substring(i + 1, i + 3), 16);
                i += 2;
            } else {
                bytes[n++] = (byte) c;
            }
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    static String media(String stream) {
        return MEDIA_PREFIX + escape(stream);
    }

    static String control(String stream) {
        return CONTROL_PREFIX + escape(stream);
    }

    /** The stream's recorder lease key, in the leases bucket. */
    static String leaseKey(String stream) {
        return "rec." + escape(stream);
    }

    /** The stream's key in the directory bucket. */
    static String directoryKey(String stream) {
        return escape(stream);
    }
}
