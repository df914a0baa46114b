package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a recording relay: the relay and the real capture agent (synthetic
 * camera and microphone, x264 + Opus) each run in their own JVM; 10 s after the segment
 * opened the relay gets SIGKILL. Restarted on the same directory, it repairs the segment,
 * which must then decode at least (elapsed − 2 s) × fps frames.
 */
class RecordingCrashE2ETest {

    private static final int FPS = 30;

    @TempDir
    Path work;

    @Test
    void aKilledRelayLosesNoMoreThanTheLastFragment() throws Exception {
        Path archive = work.resolve("archive");
        Path streamDir = archive.resolve("cam1");
        int port = JavaProcess.freePort();
        long elapsedMillis;
        String[] recording = {"--record-dir", archive.toString(), "--record-min-free", "1MiB"};
        try (JavaProcess relay = JavaProcess.relay(work.resolve("relay-1.log"), port, recording);
             JavaProcess agent = JavaProcess.agent(work.resolve("agent.log"), port)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (list(streamDir, ".mp4").isEmpty()) {
                assertThat(agent.isAlive()).as("agent running (see %s)", work.resolve("agent.log")).isTrue();
                assertThat(System.nanoTime()).as("a segment opened within 60 s").isLessThan(deadline);
                Thread.sleep(20);
            }
            long opened = System.nanoTime();
            Thread.sleep(10_000);
            relay.kill9();
            elapsedMillis = (System.nanoTime() - opened) / 1_000_000;
        }
        List<Path> sidecars = list(streamDir, ".json");
        assertThat(sidecars).hasSize(1);
        assertThat(Files.readString(sidecars.get(0))).contains("\"RECORDING\"");

        try (JavaProcess restarted = JavaProcess.relay(work.resolve("relay-2.log"), port, recording)) {
            JsonNode list = new ObjectMapper().readTree(restarted.get("/api/streams/cam1/recordings"));
            assertThat(list).hasSize(1);
            assertThat(list.get(0).path("state").asText()).isEqualTo("RECOVERED");
            long decoded = decodedVideoFrames(list(streamDir, ".mp4").get(0));
            long required = (elapsedMillis - 2_000) * FPS / 1000;
            assertThat(decoded).as("frames decoded after %d ms of recording", elapsedMillis)
                    .isGreaterThanOrEqualTo(required);
            assertThat(list.get(0).path("videoFrames").asLong()).isEqualTo(decoded);
            System.out.printf("kill -9 after %d ms of recording: %d video frames recovered (%d required)%n",
                    elapsedMillis, decoded, required);
        }
    }

    private static long decodedVideoFrames(Path file) throws Exception {
        Process probe = new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
                "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(probe.getInputStream().readAllBytes()).trim();
        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(probe.exitValue()).as("ffprobe exit code").isZero();
        return Long.parseLong(out);
    }

    private static List<Path> list(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
        }
    }

}
