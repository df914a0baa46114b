package dev.tunnelcast.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay that never answers /healthz (a shell that starts a child and waits) fails the
 * start, and neither it nor its child outlives the failure.
 */
class RelayProcessTest {

    @Test
    @Timeout(120)
    void aRelayThatNeverAnswersIsDestroyedWithItsChildren(@TempDir Path dir) throws Exception {
        Path pids = dir.resolve("pids");
        // Writes "its pid, its child's pid" once both run, then waits; it serves nothing.
        String script = "sleep 600 & echo $$ $! > " + pids + ".tmp && mv " + pids + ".tmp " + pids + "; wait";
        int silentPort = freePortNobodyServes();

        assertThatThrownBy(() -> new RelayProcess(silentPort, port -> List.of("sh", "-c", script),
                dir.resolve("relay.log"), Duration.ofSeconds(10)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not answer /healthz within 10 s");

        assertThat(pids).as("the fake relay started its child before the deadline").exists();
        long[] both = Arrays.stream(Files.readString(pids).trim().split(" ")).mapToLong(Long::parseLong).toArray();
        assertThat(both).hasSize(2);
        for (long pid : both) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d alive", pid).isFalse();
        }
    }

    @Test
    void theStartTimeoutIsConfigurable() {
        assertThat(RelayProcess.startTimeout(Map.of())).isEqualTo(Duration.ofSeconds(120));
        assertThat(RelayProcess.startTimeout(Map.of(RelayProcess.START_TIMEOUT_ENV, "300"))).isEqualTo(Duration.ofSeconds(300));
    }

    private static int freePortNobodyServes() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
