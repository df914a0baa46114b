package dev.tunnelcast.wire;

import java.util.regex.Pattern;

/**
 * The one rule for stream names, shared by the relay (paths, tokens, archive) and the
 * capture agent ({@code --stream}): ASCII letters and digits, then up to 63 more of
 * letters, digits, {@code _ . -}. The rule keeps names safe as one URL path segment and
 * as a file name without any escaping, which is why nothing else is accepted.
 */
public final class StreamName {

    /** The rule as a regular expression (documented in docs/protocol.md). */
    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}";
    /** The rule in words, for error messages. */
    public static final String RULE = "stream names match " + PATTERN
            + " (a letter or digit, then up to 63 letters, digits, '_', '.' or '-')";

    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    private StreamName() {}

    public static boolean isValid(String name) {
        return name != null && COMPILED.matcher(name).matches();
    }

    /**
     * Returns {@code name} when it is valid.
     *
     * @throws IllegalArgumentException naming the rule, when it is not
     */
    public static String require(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("invalid stream name '" + name + "': " + RULE);
        }
        return name;
    }
}
