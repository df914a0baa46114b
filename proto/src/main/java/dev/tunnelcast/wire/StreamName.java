package dev.tunnelcast.wire;

import dev.tunnelcast.proto.v1.NameKind;
import java.util.regex.Pattern;

/**
 * The one rule for stream names, shared by the relay (paths, tokens, archive) and the
 * capture agent ({@code --stream}): ASCII letters and digits, then up to 63 more of
 * letters, digits, {@code _ . -}. The rule keeps names safe as one URL path segment and
 * as a file name without any escaping, which is why nothing else is accepted. The pattern
 * is {@code NAME_KIND_STREAM}'s in {@code names.proto}; streams of rooms are {@link RoomName}.
 */
public final class StreamName {

    /** The rule as a regular expression (documented in docs/protocol.md). */
    public static final String PATTERN = NameRules.pattern(NameKind.NAME_KIND_STREAM);
    /** The rule in words, for error messages. */
    public static final String RULE = "stream names match " + PATTERN + " (" + NameRules.rule(NameKind.NAME_KIND_STREAM) + ")";

    private static final Pattern COMPILED = NameRules.compile(NameKind.NAME_KIND_STREAM);

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
