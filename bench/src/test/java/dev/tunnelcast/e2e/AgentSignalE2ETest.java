package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A clean stop, as an operator or a service manager does it: the real agent (its own JVM,
 * synthetic source) publishes to a real relay, then gets SIGINT or SIGTERM. docs/agent.md
 * promises exit code 0 (the JVM's default was 130 / 143) and a quiet end: no WARN.
 */
class AgentSignalE2ETest {

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void aSignalStopsTheAgentWithExitCodeZeroAndNoWarning(String signal) throws Exception {
        int port = JavaProcess.freePort();
        Path agentLog = work.resolve("agent.log");
        try (JavaProcess relay = JavaProcess.relay(work.resolve("relay.log"), port);
             JavaProcess agent = JavaProcess.agent(agentLog, port)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!live(relay, "cam1")) {
                assertThat(agent.isAlive()).as("agent running (see %s)", agentLog).isTrue();
                assertThat(System.nanoTime()).as("cam1 live within 60 s").isLessThan(deadline);
                Thread.sleep(50);
            }
            Thread.sleep(1_000); // media flowing, not only announced

            int exitCode = agent.stopWith(signal);

            String log = Files.readString(agentLog);
            assertThat(exitCode).as("exit code after SIG%s; agent log:%n%s", signal, log).isZero();
            assertThat(log.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))).as("agent log").isEmpty();
        }
    }

    private static boolean live(JavaProcess relay, String stream) throws Exception {
        for (JsonNode s : new ObjectMapper().readTree(relay.get("/api/streams")).path("streams")) {
            if (s.path("name").asText().equals(stream) && s.path("state").asText().equals("live")
                    && s.path("tracks").size() == 2) {
                return true;
            }
        }
        return false;
    }
}
