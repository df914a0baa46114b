package dev.tunnelcast.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.TrackKind;
import dev.tunnelcast.server.access.HttpAccess;
import dev.tunnelcast.server.relay.LayerRequest;
import dev.tunnelcast.server.relay.StreamInfo;
import dev.tunnelcast.server.relay.StreamRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.PathTemplateMatch;
import io.undertow.util.StatusCodes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code GET /api/streams} and {@code GET /api/streams/{stream}}: the streams, their tracks,
 * publisher, players, bitrates and drops, as JSON. The list shows only the streams the
 * request's token may see ({@link HttpAccess#visible}). In a cluster, the streams live on other
 * nodes are listed too (their publisher is "cluster node NAME").
 */
public final class StreamsApi {

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final StreamRegistry registry;
    private final Supplier<List<StreamInfo>> elsewhere;
    private final Function<String, Map<String, Integer>> playersByNode;

    public StreamsApi(StreamRegistry registry) {
        this(registry, List::of, null);
    }

    /**
     * In a cluster: {@code elsewhere} gives the streams live on other nodes, {@code playersByNode}
     * a stream's players on each node (shown as {@code playersByNode}).
     */
    public StreamsApi(StreamRegistry registry, Supplier<List<StreamInfo>> elsewhere,
                      Function<String, Map<String, Integer>> playersByNode) {
        this.registry = registry;
        this.elsewhere = elsewhere;
        this.playersByNode = playersByNode;
    }

    public HttpHandler listHandler() {
        return exchange -> send(exchange, StatusCodes.OK, Map.of("streams", infos().stream()
                .filter(info -> HttpAccess.visible(exchange, info.name())).map(this::toJson).toList()));
    }

    /** This node's streams; a stream live elsewhere replaces its offline or waiting copy here. */
    private List<StreamInfo> infos() {
        List<StreamInfo> remote = elsewhere.get();
        if (remote.isEmpty()) {
            return registry.infos();
        }
        Set<String> remoteNames = remote.stream().map(StreamInfo::name).collect(Collectors.toSet());
        List<StreamInfo> all = new ArrayList<>();
        Set<String> liveHere = new java.util.HashSet<>();
        for (StreamInfo info : registry.infos()) {
            if (info.state() == dev.tunnelcast.server.relay.Stream.State.LIVE || !remoteNames.contains(info.name())) {
                all.add(info);
                liveHere.add(info.name());
            }
        }
        remote.stream().filter(info -> !liveHere.contains(info.name())).forEach(all::add);
        all.sort(Comparator.comparing(StreamInfo::name));
        return all;
    }

    public HttpHandler oneHandler() {
        return exchange -> {
            String name = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get("stream");
            var info = registry.info(name);
            if (info.isPresent()) {
                send(exchange, StatusCodes.OK, toJson(info.get()));
            } else {
                send(exchange, StatusCodes.NOT_FOUND, Map.of("error", "no such stream", "stream", name));
            }
        };
    }

    private Map<String, Object> toJson(StreamInfo info) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", info.name());
        json.put("state", info.state().name().toLowerCase());
        json.put("tracks", tracksJson(info.tracks()));
        Map<String, Object> publisher = null;
        if (info.publisherAddress() != null) {
            publisher = new LinkedHashMap<>();
            publisher.put("remoteAddress", info.publisherAddress());
            publisher.put("uptimeSeconds", info.publisherUptimeSeconds());
        }
        json.put("publisher", publisher);
        json.put("players", info.players());
        if (playersByNode != null) {
            json.put("playersByNode", playersByNode.apply(info.name()));
        }
        json.put("bitrateInBitsPerSecond", info.bitrateInBitsPerSecond());
        json.put("bitrateOutBitsPerSecond", info.bitrateOutBitsPerSecond());
        json.put("drops", info.drops());
        return json;
    }

    /** One entry per track; a simulcast track's is its top layer's, with {@code layers} listing them all. */
    private static List<Map<String, Object>> tracksJson(List<TrackConfig> configs) {
        List<Map<String, Object>> tracks = new ArrayList<>();
        for (TrackConfig config : configs) {
            if (config.getLayer() > 0) {
                continue; // listed in its track's layers
            }
            Map<String, Object> json = toJson(config);
            if (config.getLayerCount() > 1) {
                json.put("layers", configs.stream().filter(c -> c.getTrackId() == config.getTrackId()).map(c -> {
                    Map<String, Object> layer = new LinkedHashMap<>();
                    layer.put("name", LayerRequest.nameOf(c));
                    layer.put("width", c.getWidth());
                    layer.put("height", c.getHeight());
                    layer.put("bitrate", c.getBitrate());
                    return layer;
                }).toList());
            }
            tracks.add(json);
        }
        return tracks;
    }

    private static Map<String, Object> toJson(TrackConfig track) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", track.getTrackId());
        boolean video = track.getKind() == TrackKind.TRACK_KIND_VIDEO;
        json.put("kind", video ? "video" : "audio");
        json.put("codec", track.getCodec());
        if (video) {
            json.put("width", track.getWidth());
            json.put("height", track.getHeight());
            json.put("frameRate", track.getFrameRate());
        } else {
            json.put("sampleRate", track.getSampleRate());
            json.put("channels", track.getChannels());
        }
        json.put("bitrate", track.getBitrate());
        return json;
    }

    private static void send(HttpServerExchange exchange, int status, Object body) throws Exception {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(JSON.writeValueAsString(body));
    }
}
