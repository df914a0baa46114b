package dev.tunnelcast.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The agent's sizes, bitrates and durations follow the relay's grammar ({@code dev.tunnelcast.wire.Units}). */
class UnitOptionsTest {

    private static AgentConfig config(String... args) {
        AgentMain main = new AgentMain();
        new CommandLine(main).parseArgs(args);
        return main.buildConfig();
    }

    @Test
    void sizesAreSiWithoutIAndBinaryWithIt() {
        assertThat(config("--send-queue-bytes", "4MB").publisher().sendQueueBytes()).isEqualTo(4_000_000);
        assertThat(config("--send-queue-bytes", "4M").publisher().sendQueueBytes()).isEqualTo(4_000_000);
        assertThat(config("--send-queue-bytes", "4MiB").publisher().sendQueueBytes()).isEqualTo(4L << 20);
        assertThat(config().publisher().sendQueueBytes()).isEqualTo(2L << 20);
    }

    @Test
    void durationsTakeDecimalsAndHours() {
        assertThat(config("--send-queue-age", "1.5s").publisher().sendQueueAge()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config("--reconnect-max", "1h").publisher().backoffMax()).isEqualTo(Duration.ofHours(1));
        assertThat(config("--reconnect-max", "0.5m").publisher().backoffMax()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void bitratesAreBitsPerSecond() {
        AgentConfig c = config("--bitrate", "2.5Mbps", "--audio-bitrate", "64k");
        assertThat(c.videoEncoder().bitrateBps()).isEqualTo(2_500_000);
        assertThat(c.opus().bitrateBps()).isEqualTo(64_000);
    }

    @Test
    void aBareNumberIsNotADurationAndSaysWhatIs() {
        assertThatThrownBy(() -> config("--send-queue-age", "500"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageStartingWith("Invalid value for option '--send-queue-age': '500' is not a duration (e.g. 500ms, 1.5s");
    }
}
