package dev.tunnelcast.wire;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar of sizes, bitrates and durations on the relay's and the agent's command lines
 * and environment variables, so that the same text means the same value in both.
 *
 * <ul>
 *   <li>Size, in bytes: a number and an optional unit. {@code k}, {@code M}, {@code G} (alone or
 *       with {@code B}: {@code kB}, {@code MB}, {@code GB}) are SI powers of 1000; {@code Ki},
 *       {@code Mi}, {@code Gi} (alone or with {@code B}: {@code KiB}, {@code MiB}, {@code GiB}) are
 *       powers of 1024. {@code B} alone or no unit: bytes. So {@code 4MB} = 4,000,000 and
 *       {@code 4MiB} = 4,194,304.</li>
 *   <li>Bitrate, in bits per second (at most 2^31-1): a number and an optional SI prefix {@code k}, {@code M},
 *       {@code G} (powers of 1000), optionally followed by {@code bps} or {@code bit/s}:
 *       {@code 96k}, {@code 2.5M}, {@code 2500kbps}.</li>
 *   <li>Duration: a number and a unit, {@code ms}, {@code s}, {@code m} (minutes), {@code h} or
 *       {@code d}: {@code 500ms}, {@code 1.5s}, {@code 10m}, {@code 1h}. A bare {@code 0} is zero;
 *       any other number needs its unit.</li>
 * </ul>
 *
 * <p>Numbers may have a decimal part ({@code 1.5MiB}, {@code 0.5h}) but must come out whole (in
 * bytes, bits per second, nanoseconds); units are case-insensitive and may follow a space. Negative
 * values and values that overflow a {@code long} are refused. Every refusal is an
 * {@link IllegalArgumentException} whose message quotes the text and shows valid examples.
 */
public final class Units {

    private static final String NUMBER = "(\\d+(?:\\.\\d+)?|\\.\\d+)";
    private static final Pattern SIZE = Pattern.compile(NUMBER + "\\s*(?:([kmg])(i)?)?(b)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern BITRATE = Pattern.compile(NUMBER + "\\s*([kmg])?(?:bps|bit/s)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile(NUMBER + "\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

    private static final Map<String, Integer> PREFIX_EXPONENT = Map.of("k", 1, "m", 2, "g", 3);
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L, "d", 86_400_000_000_000L);

    /** Two lines (of at most 80 characters, picocli's width) for the footer of each command's {@code --help}. */
    public static final String HELP_SIZES = "SIZE: bytes; k M G are SI, Ki Mi Gi binary: 4MB = 4000000, 4MiB = 4194304.";
    public static final String HELP_RATES_AND_DURATIONS = "RATE: bit/s (96k, 2.5M). DURATION: 500ms, 1.5s, 10m, 1h, 7d (docs/protocol.md).";

    static final String SIZE_EXAMPLES = "e.g. 65536, 512KiB, 4MiB, 4MB, 1.5GiB";
    static final String BITRATE_EXAMPLES = "e.g. 96000, 96k, 2500k, 2.5M, 2500kbps";
    static final String DURATION_EXAMPLES = "e.g. 500ms, 1.5s, 10m, 1h, 7d";

    private Units() {}

    /** A size in bytes: {@code 4MiB} = 4,194,304, {@code 4MB} = 4,000,000, {@code 65536} = 65,536. */
    public static long parseSize(String text) {
        Matcher m = match(SIZE, text, "size", SIZE_EXAMPLES);
        BigDecimal factor = scale(m.group(3) != null ? 1024 : 1000, m.group(2));
        return whole(new BigDecimal(m.group(1)).multiply(factor), text, "size", "bytes", SIZE_EXAMPLES);
    }

    /** A bitrate in bits per second, up to 2,147,483,647: {@code 2.5M} = 2,500,000, {@code 96k} = 96,000. */
    public static int parseBitrate(String text) {
        Matcher m = match(BITRATE, text, "bitrate", BITRATE_EXAMPLES);
        BigDecimal factor = scale(1000, m.group(2));
        long bitsPerSecond = whole(new BigDecimal(m.group(1)).multiply(factor), text, "bitrate", "bits per second", BITRATE_EXAMPLES);
        if (bitsPerSecond > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("'" + text + "' is too large for a bitrate (at most 2.1G)");
        }
        return (int) bitsPerSecond;
    }

    /** A duration: {@code 1.5s}, {@code 500ms}, {@code 10m} (minutes), {@code 1h}, {@code 7d}, or {@code 0}. */
    public static Duration parseDuration(String text) {
        if (text != null && text.strip().equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = match(DURATION, text, "duration", DURATION_EXAMPLES);
        long nanosPerUnit = NANOS_PER_UNIT.get(m.group(2).toLowerCase(Locale.ROOT));
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(nanosPerUnit));
        return Duration.ofNanos(whole(nanos, text, "duration", "nanoseconds", DURATION_EXAMPLES));
    }

    /** {@code base} raised to the power of the prefix ({@code k} 1, {@code M} 2, {@code G} 3; none 0). */
    private static BigDecimal scale(int base, String prefix) {
        int exponent = prefix == null ? 0 : PREFIX_EXPONENT.get(prefix.toLowerCase(Locale.ROOT));
        return BigDecimal.valueOf(base).pow(exponent);
    }

    private static Matcher match(Pattern pattern, String text, String what, String examples) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an empty value is not a " + what + " (" + examples + ")");
        }
        String t = text.strip();
        if (t.startsWith("-")) {
            throw new IllegalArgumentException("'" + text + "' is not a " + what + ": it must not be negative (" + examples + ")");
        }
        Matcher m = pattern.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a " + what + " (" + examples + ")");
        }
        return m;
    }

    private static long whole(BigDecimal value, String text, String what, String unit, String examples) {
        BigInteger integer;
        try {
            integer = value.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number of " + unit + " (" + examples + ")", e);
        }
        if (integer.bitLength() > 63) {
            throw new IllegalArgumentException("'" + text + "' is too large for a " + what);
        }
        return integer.longValue();
    }
}
