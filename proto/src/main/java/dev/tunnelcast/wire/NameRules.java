package dev.tunnelcast.wire;

import dev.tunnelcast.proto.v1.NameKind;
import dev.tunnelcast.proto.v1.NamesProto;
import java.util.regex.Pattern;

/**
 * Reads what {@code names.proto} says about a kind of name: its pattern and its rule in words
 * (the {@code name_pattern} and {@code name_rule} options of {@link NameKind}). That file is the
 * one definition; {@link StreamName} and {@link RoomName} only compile and apply it.
 */
final class NameRules {

    private NameRules() {}

    /** The whole name must match this (valid as a Java regex, an ECMAScript regex and an HTML {@code pattern}). */
    static String pattern(NameKind kind) {
        return kind.getValueDescriptor().getOptions().getExtension(NamesProto.namePattern);
    }

    /** The rule in words, e.g. "a letter or digit, then up to 63 letters, digits, '_', '.' or '-'". */
    static String rule(NameKind kind) {
        return kind.getValueDescriptor().getOptions().getExtension(NamesProto.nameRule);
    }

    static Pattern compile(NameKind kind) {
        String pattern = pattern(kind);
        if (pattern.isEmpty()) {
            throw new IllegalStateException(kind + " has no name_pattern in names.proto");
        }
        return Pattern.compile(pattern);
    }
}
