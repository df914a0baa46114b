package dev.tunnelcast.bench.call;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunnelcast.bench.call.CallLatency.Beeps;
import dev.tunnelcast.bench.call.CallLatency.Stamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the pages of one call said while it was measured, polled every second: each page's
 * captured stamps and beeps, what it showed and heard of every other participant, and its
 * figures (the page keeps only its recent stamps, hence the polling). Turns them into one
 * result per direction (publisher → viewer) over a window of the relay clock.
 */
final class CallSamples {

    /** The figures of a tile (viewer's page, about one publisher) kept as samples, and the player's own. */
    static final List<String> TILE_FIGURES = List.of("latencyMs", "latencyP95Ms", "avOffsetMs", "fps", "jitterBufferMs", "audioLatencyMs");
    static final List<String> PLAYER_FIGURES = List.of("audioOutputLatencyMs", "videoBufferMs", "syncFloorMs", "jitterBufferTargetMs",
            "jitterMs", "audioConcealedMs", "audioPlayedMs", "framesDropped", "videoPlaybackRate");
    static final List<String> PUBLISHER_FIGURES = List.of("videoCaptureToPacketMs", "audioCaptureToPacketMs", "networkDelayMs",
            "videoBitrateBps", "bitrateKbps", "encoderDrops");

    private final Map<String, Set<Stamp>> captured = new LinkedHashMap<>();
    private final Map<String, Set<Double>> beepsCaptured = new LinkedHashMap<>();
    /** by "publisher>viewer" */
    private final Map<String, Set<Stamp>> shown = new LinkedHashMap<>();
    private final Map<String, Set<Double>> heard = new LinkedHashMap<>();
    private final Map<String, Map<String, List<Double>>> tileSamples = new LinkedHashMap<>();
    private final Map<String, Map<String, List<Double>>> publisherSamples = new LinkedHashMap<>();
    private final Map<String, JsonNode> lastPublisher = new LinkedHashMap<>();

    /**
     * One poll of a page: {@code {s: CallStats, players: {participant: PlayerStats subset}}}
     * (see {@link CallRun#POLL}).
     */
    void add(String viewer, JsonNode poll) {
        JsonNode s = poll.path("s");
        JsonNode self = s.path("self");
        Set<Stamp> mine = captured.computeIfAbsent(viewer, k -> new LinkedHashSet<>());
        self.path("stampsCaptured").forEach(pair -> mine.add(new Stamp(pair.get(0).asLong(), pair.get(1).asDouble())));
        Set<Double> myBeeps = beepsCaptured.computeIfAbsent(viewer, k -> new TreeSet<>());
        self.path("beepsCapturedAtMs").forEach(t -> myBeeps.add(t.asDouble()));
        JsonNode publisher = self.path("publisher");
        if (publisher.isObject()) {
            lastPublisher.put(viewer, publisher);
            Map<String, List<Double>> samples = publisherSamples.computeIfAbsent(viewer, k -> new LinkedHashMap<>());
            for (String figure : PUBLISHER_FIGURES) {
                addSample(samples, figure, publisher.path(figure));
            }
        }
        for (JsonNode tile : s.path("tiles")) {
            String key = tile.path("participant").asText() + ">" + viewer;
            Set<Stamp> seen = shown.computeIfAbsent(key, k -> new LinkedHashSet<>());
            tile.path("stampsShown").forEach(pair -> seen.add(new Stamp(pair.get(0).asLong(), pair.get(1).asDouble())));
            Set<Double> ears = heard.computeIfAbsent(key, k -> new TreeSet<>());
            tile.path("beepsHeardAtMs").forEach(t -> ears.add(t.asDouble()));
            Map<String, List<Double>> samples = tileSamples.computeIfAbsent(key, k -> new LinkedHashMap<>());
            for (String figure : TILE_FIGURES) {
                addSample(samples, figure, tile.path(figure));
            }
            JsonNode player = poll.path("players").path(tile.path("participant").asText());
            for (String figure : PLAYER_FIGURES) {
                addSample(samples, figure, player.path(figure));
            }
        }
    }

    private static void addSample(Map<String, List<Double>> samples, String figure, JsonNode value) {
        if (value.isNumber()) {
            samples.computeIfAbsent(figure, k -> new ArrayList<>()).add(value.asDouble());
        }
    }

    /** Glass-to-glass of {@code publisher} as {@code viewer} showed it, in the window. */
    double[] glassToGlass(String publisher, String viewer, double fromMs, double toMs) {
        return CallLatency.glassToGlass(List.copyOf(captured.getOrDefault(publisher, Set.of())),
                List.copyOf(shown.getOrDefault(publisher + ">" + viewer, Set.of())), fromMs, toMs, CallMedia.LOOP_MS);
    }

    Beeps mouthToEar(String publisher, String viewer, double fromMs, double toMs) {
        return CallLatency.mouthToEar(toArray(beepsCaptured.getOrDefault(publisher, Set.of())),
                toArray(heard.getOrDefault(publisher + ">" + viewer, Set.of())), fromMs, toMs, CallMedia.LOOP_MS);
    }

    /** The median of a tile's or its player's figure over the polls (NaN: never a number). */
    double tileMedian(String publisher, String viewer, String figure) {
        return median(tileSamples.getOrDefault(publisher + ">" + viewer, Map.of()).getOrDefault(figure, List.of()));
    }

    /** The first and last sample of a tile's counter, for a rate over the window. */
    double tileIncrease(String publisher, String viewer, String figure) {
        List<Double> values = tileSamples.getOrDefault(publisher + ">" + viewer, Map.of()).getOrDefault(figure, List.of());
        return values.size() < 2 ? Double.NaN : values.get(values.size() - 1) - values.get(0);
    }

    double publisherMedian(String publisher, String figure) {
        return median(publisherSamples.getOrDefault(publisher, Map.of()).getOrDefault(figure, List.of()));
    }

    JsonNode lastPublisher(String publisher) {
        return lastPublisher.get(publisher);
    }

    private static double median(List<Double> values) {
        return CallLatency.percentile(values.stream().mapToDouble(Double::doubleValue).toArray(), 0.5);
    }

    private static double[] toArray(Set<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
