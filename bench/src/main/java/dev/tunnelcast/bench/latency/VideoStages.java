package dev.tunnelcast.bench.latency;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where a video frame's capture → display time went in one run, stage by stage, from what the
 * agent, the relay and the player measure (ms; NaN where a stage is not measured):
 * <ul>
 *   <li>{@code captureToEncoded}: the agent, capture time to the packet leaving the encoder (a mean);</li>
 *   <li>{@code encodedToRelay}: the send queue, the uplink and the relay's read (capture → relay minus the above);</li>
 *   <li>{@code relayToPlayer}: the relay's fan-out, the downlink and the transport worker's read
 *       (capture → the worker took it off the socket, minus capture → relay);</li>
 *   <li>{@code arrivalToShown}: in the page, of which {@code decode} (in the VideoDecoder) and
 *       {@code held} (decoded, waiting for the audio clock: the video's share of the jitter
 *       buffer) on the WebCodecs path; the rest is the hand-off from the worker and the wait for a draw;</li>
 *   <li>{@code audioJitterBufferDepth}: the audio buffered at the end of the run, which sets the audio clock the video waits for.</li>
 * </ul>
 * The display itself is not measured: a frame's display time is its draw (WebCodecs) or the
 * browser's expected presentation (MSE), and the compositor adds up to a refresh after that.
 * The stages are medians (encode: a mean) of different sets of frames, so they add up to the
 * metadata latency's median only roughly.
 */
final class VideoStages {

    private VideoStages() {}

    /**
     * @param captureToEncodedMs the agent's mean over the run
     * @param captureToRelayMs   the median over the run of the relay's receive time minus the capture time
     * @param lastStats          the player's stats at the run's end ({@code videoStagesMs}: medians over its recent frames)
     */
    static Map<String, Object> of(double captureToEncodedMs, double captureToRelayMs, JsonNode lastStats) {
        JsonNode player = lastStats.path("videoStagesMs");
        double captureToArrival = player.path("captureToArrival").asDouble(Double.NaN);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("captureToEncoded", round(captureToEncodedMs));
        m.put("encodedToRelay", round(captureToRelayMs - captureToEncodedMs));
        m.put("relayToPlayer", round(captureToArrival - captureToRelayMs));
        m.put("arrivalToShown", round(player.path("arrivalToShown").asDouble(Double.NaN)));
        m.put("decode", round(player.path("decode").asDouble(Double.NaN)));
        m.put("held", round(player.path("held").asDouble(Double.NaN)));
        m.put("audioJitterBufferDepth", round(lastStats.path("jitterBufferDepthMs").asDouble(Double.NaN)));
        m.put("captureToRelay", round(captureToRelayMs));
        m.put("captureToArrival", round(captureToArrival));
        return m;
    }

    /** One line: "captureToEncoded 6.1 · encodedToRelay 0.4 · …". */
    static String describe(Map<String, Object> stages) {
        return stages.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(" · "));
    }

    private static double round(double ms) {
        return Double.isFinite(ms) ? Double.parseDouble(String.format(Locale.ROOT, "%.1f", ms)) : Double.NaN;
    }
}
