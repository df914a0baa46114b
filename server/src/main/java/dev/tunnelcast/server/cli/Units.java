package dev.tunnelcast.server.cli;

import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * picocli converters for the relay's sizes ({@code 4MiB}, {@code 4MB}, {@code 65536}) and durations
 * ({@code 500ms}, {@code 1.5s}, {@code 1h}); the grammar is {@link dev.tunnelcast.wire.Units}, shared
 * with the agent, and a refusal becomes picocli's "Invalid value for option" with its message.
 */
public final class Units {

    private Units() {}

    static <T> T convert(String text, Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** picocli converter for sizes in bytes. */
    public static final class Bytes implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return Units.convert(value, dev.tunnelcast.wire.Units::parseSize);
        }
    }

    /** picocli converter for durations. */
    public static final class Time implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Units.convert(value, dev.tunnelcast.wire.Units::parseDuration);
        }
    }
}
