package dev.tunnelcast.server.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands every closed segment on: runs the configured command (segment path as the last
 * argument, metadata in {@code TUNNELCAST_*} environment variables; exit code 0 is success)
 * and/or POSTs the segment's JSON to the webhook (any 2xx is success). A failed hand-off is
 * retried with exponential backoff until it succeeds; only then is the segment marked
 * {@code DONE} in the index, which lets retention delete it.
 */
final class HandoffHook {

    private static final Logger log = LoggerFactory.getLogger(HandoffHook.class);

    private final ArchiveConfig config;
    private final SegmentIndex index;
    private final ArchiveMetrics metrics;
    private final ScheduledExecutorService executor;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    HandoffHook(ArchiveConfig config, SegmentIndex index, ArchiveMetrics metrics, ScheduledExecutorService executor) {
        this.config = config;
        this.index = index;
        this.metrics = metrics;
        this.executor = executor;
        this.http = config.webhookUrl() == null ? null
                : HttpClient.newBuilder().connectTimeout(config.hookTimeout()).build();
    }

    /** Queues the hand-off of a closed segment (no-op when no hook is configured). */
    void submit(SegmentInfo segment) {
        if (segment.handoff() != SegmentInfo.Handoff.PENDING) {
            return;
        }
        metrics.hookPending.incrementAndGet();
        executor.execute(() -> attempt(segment, 1, false, false));
    }

    private void attempt(SegmentInfo segment, int attempt, boolean commandDone, boolean webhookDone) {
        Path file = index.mediaFile(segment);
        if (index.get(segment.stream(), segment.id()).isEmpty()) {
            metrics.hookPending.decrementAndGet(); // deleted meanwhile (forced by the disk limit)
            return;
        }
        List<String> errors = new ArrayList<>();
        if (!commandDone && !config.hookCommand().isEmpty()) {
            commandDone = runCommand(segment, file, errors);
        } else {
            commandDone = true;
        }
        if (!webhookDone && config.webhookUrl() != null) {
            webhookDone = post(segment, file, errors);
        } else {
            webhookDone = true;
        }
        if (commandDone && webhookDone) {
            metrics.hookSucceeded.increment();
            metrics.hookPending.decrementAndGet();
            index.updateIfPresent(segment.stream(), segment.id(), s -> s.withHandoff(SegmentInfo.Handoff.DONE));
            log.info("Archive segment {} of stream {} handed off (attempt {})", segment.id(), segment.stream(), attempt);
            return;
        }
        if (Thread.currentThread().isInterrupted() || executor.isShutdown()) {
            return; // shutting down: the index still says PENDING, the next start resumes it
        }
        metrics.hookFailed.increment();
        Duration delay = backoff(attempt);
        log.warn("Hand-off of archive segment {} of stream {} failed (attempt {}): {}; retrying in {} ms",
                segment.id(), segment.stream(), attempt, String.join("; ", errors), delay.toMillis());
        boolean c = commandDone;
        boolean w = webhookDone;
        executor.schedule(() -> attempt(segment, attempt + 1, c, w), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    Duration backoff(int attempt) {
        long initial = config.hookInitialBackoff().toMillis();
        long max = config.hookMaxBackoff().toMillis();
        long delay = attempt >= 31 ? max : Math.min(max, initial << (attempt - 1));
        return Duration.ofMillis(delay);
    }

    private boolean runCommand(SegmentInfo segment, Path file, List<String> errors) {
        List<String> command = new ArrayList<>(config.hookCommand());
        command.add(file.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = builder.environment();
        env.put("TUNNELCAST_SEGMENT_PATH", file.toString());
        env.put("TUNNELCAST_SEGMENT_ID", segment.id());
        env.put("TUNNELCAST_STREAM", segment.stream());
        env.put("TUNNELCAST_STATE", segment.state().name());
        env.put("TUNNELCAST_START_MICROS", Long.toString(segment.startWallMicros()));
        env.put("TUNNELCAST_END_MICROS", Long.toString(segment.endWallMicros()));
        env.put("TUNNELCAST_DURATION_MICROS", Long.toString(segment.durationMicros()));
        env.put("TUNNELCAST_SIZE_BYTES", Long.toString(segment.sizeBytes()));
        env.put("TUNNELCAST_CODECS", String.join(",", segment.codecs()));
        try {
            Process process = builder.start();
            if (!process.waitFor(config.hookTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                errors.add("command timed out after " + config.hookTimeout().toSeconds() + " s");
                return false;
            }
            if (process.exitValue() != 0) {
                errors.add("command exited with " + process.exitValue());
                return false;
            }
            return true;
        } catch (IOException e) {
            errors.add("command could not start: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            errors.add("interrupted");
            return false;
        }
    }

    private boolean post(SegmentInfo segment, Path file, List<String> errors) {
        try {
            ObjectNode body = json.valueToTree(segment);
            body.put("path", file.toString());
            HttpRequest request = HttpRequest.newBuilder(config.webhookUrl())
                    .timeout(config.hookTimeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                    .build();
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 != 2) {
                errors.add("webhook answered " + status);
                return false;
            }
            return true;
        } catch (IOException e) {
            errors.add("webhook failed: " + e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            errors.add("interrupted");
            return false;
        }
    }
}
