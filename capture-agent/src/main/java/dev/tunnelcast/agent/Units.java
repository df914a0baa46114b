package dev.tunnelcast.agent;

import java.time.Duration;
import java.util.Locale;

/** Parses the human units of the command line: bitrates ({@code 2500k}, {@code 2.5M}) and durations ({@code 500ms}, {@code 2s}). */
final class Units {
    private Units() {}

    static int bitrate(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        double mul = 1;
        if (t.endsWith("k")) {
            mul = 1e3;
        } else if (t.endsWith("m")) {
            mul = 1e6;
        }
        if (mul != 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return (int) Math.round(Double.parseDouble(t) * mul);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a bitrate: '" + text + "' (e.g. 2500k, 2.5M, 96000)");
        }
    }

    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            }
            if (t.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
            }
            return Duration.ofMillis(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (e.g. 500ms, 2s, 1m)");
        }
    }

    static long bytes(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
        long mul = 1;
        if (t.endsWith("k")) {
            mul = 1024;
        } else if (t.endsWith("m")) {
            mul = 1024 * 1024;
        }
        if (mul != 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return Math.round(Double.parseDouble(t) * mul);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: '" + text + "' (e.g. 512k, 2M)");
        }
    }
}
