package dev.tunnelcast.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource(delimiter = '=', value = {
        "0 = 0",
        "65536 = 65536",
        "100B = 100",
        "100 b = 100",
        "1k = 1000",
        "1kB = 1000",
        "1KB = 1000",
        "1K = 1000",
        "1Ki = 1024",
        "1KiB = 1024",
        "512kib = 524288",
        "4M = 4000000",
        "4MB = 4000000",
        "4mb = 4000000",
        "4Mi = 4194304",
        "4MiB = 4194304",
        "2G = 2000000000",
        "2GB = 2000000000",
        "2GiB = 2147483648",
        "1.5KiB = 1536",
        "1.5MB = 1500000",
        "0.5GiB = 536870912",
        ".5k = 500",
        "' 8MiB ' = 8388608",
        "8 MiB = 8388608",
        "8589934591GiB = 9223372035781033984",
    })
    void sizes(String text, long bytes) {
        assertThat(Units.parseSize(text)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0} = {1} bit/s")
    @CsvSource(delimiter = '=', value = {
        "96000 = 96000",
        "96k = 96000",
        "96K = 96000",
        "2500k = 2500000",
        "2.5M = 2500000",
        "2.5m = 2500000",
        "1G = 1000000000",
        "2500kbps = 2500000",
        "96kbit/s = 96000",
        "128 kbps = 128000",
        "6000bps = 6000",
        "0.5k = 500",
    })
    void bitrates(String text, int bitsPerSecond) {
        assertThat(Units.parseBitrate(text)).isEqualTo(bitsPerSecond);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '=', value = {
        "0 = PT0S",
        "0s = PT0S",
        "500ms = PT0.5S",
        "1.5ms = PT0.0015S",
        "1s = PT1S",
        "1.5s = PT1.5S",
        "2S = PT2S",
        "10m = PT10M",
        "1.5m = PT1M30S",
        "1h = PT1H",
        "0.5h = PT30M",
        "1H = PT1H",
        "7d = PT168H",
        "' 5 s ' = PT5S",
        "100MS = PT0.1S",
    })
    void durations(String text, Duration expected) {
        assertThat(Units.parseDuration(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "MiB", "4 MiBs", "4XB", "4iB", "4Bi", "1,5M", "1e6", "0x10", "4 M i B", "1..5k", "1.k"})
    void refusesWhatIsNotASize(String text) {
        assertThatThrownBy(() -> Units.parseSize(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a size")
                .hasMessageContaining("e.g. 65536, 512KiB, 4MiB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "k", "96kB", "96KiB", "2.5 Mbit", "96 kb/s", "fast"})
    void refusesWhatIsNotABitrate(String text) {
        assertThatThrownBy(() -> Units.parseBitrate(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a bitrate")
                .hasMessageContaining("e.g. 96000, 96k");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "500", "1.5", "0.0", "s", "1 sec", "2w", "1h30m", "PT1S", "1y", "1us"})
    void refusesWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> Units.parseDuration(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a duration")
                .hasMessageContaining("e.g. 500ms, 1.5s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-4MiB", " -1k"})
    void refusesNegativeSizes(String text) {
        assertThatThrownBy(() -> Units.parseSize(text)).hasMessage("'" + text + "' is not a size: it must not be negative ("
                + Units.SIZE_EXAMPLES + ")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1s", "-0.5h"})
    void refusesNegativeDurations(String text) {
        assertThatThrownBy(() -> Units.parseDuration(text)).hasMessageContaining("must not be negative");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "0.1KiB", "1.0001k"})
    void refusesFractionsOfAByte(String text) {
        assertThatThrownBy(() -> Units.parseSize(text)).hasMessageContaining("is not a whole number of bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.5", "1.0001k"})
    void refusesFractionsOfABitPerSecond(String text) {
        assertThatThrownBy(() -> Units.parseBitrate(text)).hasMessageContaining("is not a whole number of bits per second");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0000000001s", "0.5ns"})
    void refusesDurationsFinerThanANanosecond(String text) {
        assertThatThrownBy(() -> Units.parseDuration(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808", "8589934592GiB", "99999999999999999999999G"})
    void refusesSizesBeyondALong(String text) {
        assertThatThrownBy(() -> Units.parseSize(text)).hasMessage("'" + text + "' is too large for a size");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2147483648", "2.2G"})
    void refusesBitratesBeyondAnInt(String text) {
        assertThatThrownBy(() -> Units.parseBitrate(text)).hasMessageContaining("is too large for a bitrate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"106752d", "1000000000h"})
    void refusesDurationsBeyondALongOfNanoseconds(String text) {
        assertThatThrownBy(() -> Units.parseDuration(text)).hasMessage("'" + text + "' is too large for a duration");
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> Units.parseSize(null)).hasMessageStartingWith("an empty value is not a size");
    }

    @Test
    void theHelpLinesFitPicocliWidth() {
        assertThat(Units.HELP_SIZES.length()).isLessThanOrEqualTo(80);
        assertThat(Units.HELP_RATES_AND_DURATIONS.length()).isLessThanOrEqualTo(80);
    }
}
