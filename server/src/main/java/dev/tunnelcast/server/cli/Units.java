package dev.tunnelcast.server.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Command-line value converters: sizes ({@code 4MiB}, {@code 512KiB}, {@code 1000}) and durations ({@code 2s}, {@code 500ms}, {@code 1h}). */
public final class Units {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kib|mib|gib|kb|mb|gb)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

    private Units() {}

    public static long parseBytes(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a size (e.g. 4MiB, 512KiB, 65536)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long factor = switch (unit) {
            case "kib" -> 1024L;
            case "mib" -> 1024L * 1024;
            case "gib" -> 1024L * 1024 * 1024;
            case "kb" -> 1000L;
            case "mb" -> 1000L * 1000;
            case "gb" -> 1000L * 1000 * 1000;
            default -> 1L;
        };
        return Math.multiplyExact(n, factor);
    }

    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a duration (e.g. 500ms, 2s, 5m, 1h, 1d)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** picocli converter for sizes. */
    public static final class Bytes implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parseBytes(value);
        }
    }

    /** picocli converter for durations. */
    public static final class Time implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parseDuration(value);
        }
    }
}
