package dev.tunnelcast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunnelcast.agent.AgentMain;
import dev.tunnelcast.server.cli.ServeCommand;
import dev.tunnelcast.wire.Units;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The relay's and the agent's command lines read the same text as the same value: one option of
 * each, parsed through its real picocli command, against {@link Units}. Only this module sees both.
 */
class SharedUnitsTest {

    /** The converted value of {@code option} after {@code command} parsed {@code option value}. */
    private static <T> T parsed(Object command, String option, String value) {
        CommandLine cli = new CommandLine(command);
        cli.parseArgs(option, value);
        return cli.getCommandSpec().findOption(option).getValue();
    }

    private static Object relaySize(String text) {
        return parsed(new ServeCommand(), "--player-queue-bytes", text);
    }

    private static Object agentSize(String text) {
        return parsed(new AgentMain(), "--send-queue-bytes", text);
    }

    private static Object relayDuration(String text) {
        return parsed(new ServeCommand(), "--player-queue-age", text);
    }

    private static Object agentDuration(String text) {
        return parsed(new AgentMain(), "--send-queue-age", text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4MB", "4MiB", "2M", "2Mi", "512k", "512KiB", "1.5GiB", "65536", "100B"})
    void sizesMeanTheSameToBoth(String text) {
        assertThat(relaySize(text)).isEqualTo(agentSize(text)).isEqualTo(Units.parseSize(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5s", "1h", "500ms", "10m", "2s", "0"})
    void durationsMeanTheSameToBoth(String text) {
        assertThat((Duration) relayDuration(text)).isEqualTo(agentDuration(text)).isEqualTo(Units.parseDuration(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lots", "1.5", "-1MiB", "4 MiBs"})
    void bothRefuseABadSizeWithTheSameMessage(String text) {
        String why = refusal(() -> Units.parseSize(text));
        assertThatThrownBy(() -> relaySize(text)).isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining(why);
        assertThatThrownBy(() -> agentSize(text)).isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining(why);
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "500", "1h30m", "-1s"})
    void bothRefuseABadDurationWithTheSameMessage(String text) {
        String why = refusal(() -> Units.parseDuration(text));
        assertThatThrownBy(() -> relayDuration(text)).isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining(why);
        assertThatThrownBy(() -> agentDuration(text)).isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining(why);
    }

    private static String refusal(Runnable parse) {
        try {
            parse.run();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a refusal");
    }
}
