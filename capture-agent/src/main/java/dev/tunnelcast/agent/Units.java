package dev.tunnelcast.agent;

import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * picocli converters for the agent's sizes ({@code 2MiB}), bitrates ({@code 2500k}, {@code 2.5M}) and
 * durations ({@code 500ms}, {@code 1.5s}); the grammar is {@link dev.tunnelcast.wire.Units}, shared
 * with the relay, and a refusal becomes picocli's "Invalid value for option" with its message.
 */
final class Units {

    private Units() {}

    static <T> T convert(String text, Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** picocli converter for sizes in bytes. */
    static final class Bytes implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return Units.convert(value, dev.tunnelcast.wire.Units::parseSize);
        }
    }

    /** picocli converter for bitrates in bits per second. */
    static final class Bitrate implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return Units.convert(value, dev.tunnelcast.wire.Units::parseBitrate);
        }
    }

    /** picocli converter for simulcast layer lists ({@code 1280x720@2500k,640x360@700k}). */
    static final class Layers implements CommandLine.ITypeConverter<java.util.List<dev.tunnelcast.agent.encode.LayerSpec>> {
        @Override
        public java.util.List<dev.tunnelcast.agent.encode.LayerSpec> convert(String value) {
            return Units.convert(value, dev.tunnelcast.agent.encode.LayerSpec::parseList);
        }
    }

    /** picocli converter for durations. */
    static final class Time implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Units.convert(value, dev.tunnelcast.wire.Units::parseDuration);
        }
    }
}
