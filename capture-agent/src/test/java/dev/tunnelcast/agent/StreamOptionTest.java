package dev.tunnelcast.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunnelcast.wire.StreamName;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --stream} follows the relay's one rule ({@link StreamName}) and is checked before anything starts. */
class StreamOptionTest {

    @Test
    void anInvalidNameIsRefusedWithTheRule() {
        AgentMain main = new AgentMain();
        new CommandLine(main).parseArgs("--stream", "a;b");
        assertThatThrownBy(main::buildConfig).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a;b'").hasMessageContaining(StreamName.PATTERN);
    }

    @Test
    void theCommandExitsWithUsageErrorAndSaysWhy() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = AgentMain.run("--relay", "ws://127.0.0.1:9", "--stream", "../x");
        } finally {
            System.setErr(err);
        }
        assertThat(code).isEqualTo(1);
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("invalid stream name '../x'");
    }
}
