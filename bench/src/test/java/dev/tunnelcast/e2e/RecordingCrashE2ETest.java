package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunnelcast.bench.archive.EncodedMedia;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Hello;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.Role;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a recording relay in its own JVM: a publisher streams real H.264 + Opus
 * in real time over a WebSocket for 10 s, the relay is killed with SIGKILL, restarted on the
 * same directory, and the recovered segment must decode at least (elapsed − 2 s) × fps frames.
 */
class RecordingCrashE2ETest {

    @TempDir
    Path work;

    @Test
    void aKilledRelayLosesNoMoreThanTheLastFragment() throws Exception {
        EncodedMedia media = EncodedMedia.encode(work.resolve("media"), 14);
        Path archive = work.resolve("archive");
        int port = freePort();
        long elapsedMillis;
        try (RelayJvm relay = new RelayJvm(work.resolve("relay-1.log"), port, archive)) {
            WebSocket publisher = connectPublisher(port);
            for (var track : media.tracks()) {
                send(publisher, Envelope.newBuilder().setTrackConfig(track).build());
            }
            long firstPts = media.packets().get(0).getPtsMicros();
            long start = System.nanoTime();
            for (MediaPacket p : media.packets()) {
                long dueNanos = start + (p.getPtsMicros() - firstPts) * 1000;
                long wait = dueNanos - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (System.nanoTime() - start >= TimeUnit.SECONDS.toNanos(10)) {
                    break;
                }
                send(publisher, Envelope.newBuilder().setMediaPacket(p).build());
            }
            elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            relay.kill9();
            publisher.abort();
        }
        List<Path> sidecars = list(archive.resolve("cam1"), ".json");
        assertThat(sidecars).hasSize(1);
        assertThat(Files.readString(sidecars.get(0))).contains("\"RECORDING\"");

        try (RelayJvm restarted = new RelayJvm(work.resolve("relay-2.log"), port, archive)) {
            JsonNode list = new ObjectMapper().readTree(restarted.get("/api/streams/cam1/recordings"));
            assertThat(list).hasSize(1);
            assertThat(list.get(0).path("state").asText()).isEqualTo("RECOVERED");
            Path file = list(archive.resolve("cam1"), ".mp4").get(0);
            long decoded = decodedVideoFrames(file);
            long required = (elapsedMillis / 1000 - 2) * EncodedMedia.FPS;
            assertThat(decoded).as("frames decoded after %d ms of recording", elapsedMillis)
                    .isGreaterThanOrEqualTo(required);
            assertThat(list.get(0).path("videoFrames").asLong()).isEqualTo(decoded);
            System.out.printf("kill -9 after %d ms: %d video frames recovered (%d required)%n",
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

    private static WebSocket connectPublisher(int port) throws Exception {
        CompletableFuture<Envelope> welcome = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/publish/cam1"), new WebSocket.Listener() {
                    private final java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();

                    @Override
                    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                        byte[] bytes = new byte[data.remaining()];
                        data.get(bytes);
                        buffer.writeBytes(bytes);
                        if (last) {
                            try {
                                Envelope envelope = Envelope.parseFrom(buffer.toByteArray());
                                if (envelope.hasWelcome()) {
                                    welcome.complete(envelope);
                                }
                            } catch (IOException e) {
                                welcome.completeExceptionally(e);
                            }
                            buffer.reset();
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        send(ws, Envelope.newBuilder().setHello(Hello.newBuilder().setRole(Role.ROLE_PUBLISHER)
                .setProtocolVersion(1).setClientName("recording-e2e")).build());
        welcome.get(10, TimeUnit.SECONDS);
        return ws;
    }

    private static void send(WebSocket ws, Envelope envelope) throws Exception {
        ws.sendBinary(ByteBuffer.wrap(envelope.toByteArray()), true).get(5, TimeUnit.SECONDS);
    }

    private static List<Path> list(Path dir, String suffix) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The relay in its own JVM, on this test's class path, recording into {@code archive}. */
    static final class RelayJvm implements AutoCloseable {
        private final Process process;
        private final int port;
        private final HttpClient http = HttpClient.newHttpClient();

        RelayJvm(Path log, int port, Path archive) throws Exception {
            this.port = port;
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("org.bytedeco.javacpp.cachedir",
                            log.getParent().resolve("javacpp").toString()),
                    "-cp", System.getProperty("java.class.path"), "dev.tunnelcast.server.RelayMain",
                    "serve", "--bind", "127.0.0.1", "--port", Integer.toString(port),
                    "--record-dir", archive.toString(), "--record-min-free", "1MiB"));
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                assertThat(process.isAlive()).as("relay running (see %s)", log).isTrue();
                try {
                    get("/healthz");
                    return;
                } catch (IOException notYet) {
                    assertThat(System.nanoTime()).as("relay healthy within 30 s").isLessThan(deadline);
                    Thread.sleep(100);
                }
            }
        }

        String get(String path) throws Exception {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
            return response.body();
        }

        /** SIGKILL: no shutdown hook, no trailer, nothing flushed that was not already. */
        void kill9() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL on Linux
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(137);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
