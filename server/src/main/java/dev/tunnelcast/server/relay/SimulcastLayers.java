package dev.tunnelcast.server.relay;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.TrackKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.StringJoiner;

/**
 * The layers of a stream's simulcast track (docs/protocol.md, "Simulcast"): each layer's latest
 * TrackConfig, and the rules the publisher must keep about them (each a 4422). Only the primary
 * video track may have layers; a layer is named by its height ({@code 360p}), so heights must
 * fall strictly from layer 0 (the top) down; every layer is announced before the track's first
 * packet. Not thread-safe: the owning {@link Stream} guards it with its lock.
 */
final class SimulcastLayers {

    /** At most this many layers per track. */
    static final int MAX_LAYERS = 4;
    /** For {@link #announcements}: every layer. */
    static final int ALL_LAYERS = -2;

    private int trackId = -1;
    private TrackConfig[] configs = new TrackConfig[0];
    private RelayedMessage[] messages = new RelayedMessage[0];

    /** Whether {@code config} is a layer of a simulcast track (more than one layer). */
    static boolean isLayered(TrackConfig config) {
        return config.getLayerCount() > 1;
    }

    /**
     * Checks a TrackConfig's layer fields and keeps it if it is a layer.
     *
     * @param primaryVideo the config is of the stream's primary video track
     * @return true if it announced the last missing layer of the track
     */
    boolean accept(TrackConfig config, RelayedMessage message, boolean primaryVideo) throws Refusal {
        int id = config.getTrackId();
        int count = config.getLayerCount();
        if (count > MAX_LAYERS) {
            throw violation("track " + id + " has " + count + " layers (at most " + MAX_LAYERS + ")");
        }
        if (config.getLayer() >= Math.max(1, count)) {
            throw violation("track " + id + " layer " + config.getLayer() + " of " + Math.max(1, count));
        }
        if (id == trackId && count != configs.length) {
            throw violation("track " + id + " changed its layer count from " + configs.length + " to " + count);
        }
        if (count <= 1) {
            return false;
        }
        if (config.getKind() != TrackKind.TRACK_KIND_VIDEO || !primaryVideo) {
            throw violation("track " + id + " has layers: only the first video track may");
        }
        if (trackId != id) {
            trackId = id;
            configs = new TrackConfig[count];
            messages = new RelayedMessage[count];
        }
        int layer = config.getLayer();
        for (int other = 0; other < count; other++) {
            TrackConfig o = configs[other];
            if (o != null && other != layer && (other < layer) != (o.getHeight() > config.getHeight())) {
                throw violation("track " + id + " layer " + layer + " is " + config.getHeight() + " high and layer "
                        + other + " " + o.getHeight() + ": heights must fall from layer 0 down");
            }
        }
        boolean wasComplete = isComplete();
        configs[layer] = config;
        messages[layer] = message;
        return !wasComplete && isComplete();
    }

    /** Checks a packet's layer against its track's; {@code trackConfig} is the track's latest config. */
    void checkPacket(MediaPacket packet, TrackConfig trackConfig) throws Refusal {
        int id = packet.getTrackId();
        if (!isLayered(trackConfig)) {
            if (packet.getLayer() != 0) {
                throw violation("MediaPacket of track " + id + " is for layer " + packet.getLayer() + " but the track has no layers");
            }
            return;
        }
        if (packet.getLayer() >= configs.length) {
            throw violation("MediaPacket of track " + id + " is for layer " + packet.getLayer() + " of " + configs.length);
        }
        if (!isComplete()) {
            throw violation("MediaPacket of track " + id + " before all its " + configs.length + " layers were announced");
        }
    }

    /** Forgets the layers (the publisher left). */
    void reset() {
        trackId = -1;
        configs = new TrackConfig[0];
        messages = new RelayedMessage[0];
    }

    /** Whether the stream has a simulcast track with every layer announced. */
    boolean isComplete() {
        return configs.length > 0 && Arrays.stream(configs).allMatch(c -> c != null);
    }

    int count() {
        return configs.length;
    }

    /** The latest TrackConfig message of {@code layer}, as the publisher sent it. */
    RelayedMessage configMessage(int layer) {
        return messages[layer];
    }

    /**
     * The TrackConfig messages that announce {@code tracks}: each track's latest and, for the
     * simulcast track, that of {@code layer} ({@link #ALL_LAYERS}: every announced layer's;
     * {@link RelayedMessage#NO_LAYER}: none, while the layers are not all known).
     */
    List<RelayedMessage> announcements(Collection<TrackState> tracks, int layer) {
        return select(tracks, layer, t -> t.configMessage, l -> messages[l]);
    }

    /** The TrackConfigs of {@code tracks}, every layer of the simulcast track among them (top first). */
    List<TrackConfig> trackConfigs(Collection<TrackState> tracks) {
        return select(tracks, ALL_LAYERS, t -> t.config, l -> configs[l]);
    }

    private <T> List<T> select(Collection<TrackState> tracks, int layer, Function<TrackState, T> ofTrack, IntFunction<T> ofLayer) {
        List<T> all = new ArrayList<>();
        for (TrackState track : tracks) {
            if (!isLayered(track.config)) {
                all.add(ofTrack.apply(track));
            } else if (layer == ALL_LAYERS) {
                IntStream.range(0, configs.length).mapToObj(ofLayer).filter(Objects::nonNull).forEach(all::add);
            } else if (layer >= 0) {
                all.add(ofLayer.apply(layer));
            }
        }
        return all;
    }

    /** The layer of a quality name ({@code 360p}), or -1 if the track has none of that height. */
    int layerOf(String quality) {
        for (int layer = 0; layer < configs.length; layer++) {
            if (configs[layer] != null && LayerRequest.nameOf(configs[layer]).equals(quality)) {
                return layer;
            }
        }
        return -1;
    }

    /** The lowest layer at least {@code height} tall, or the top layer (0) if none is. */
    int lowestFilling(int height) {
        for (int layer = configs.length - 1; layer > 0; layer--) {
            if (configs[layer] != null && configs[layer].getHeight() >= height) {
                return layer;
            }
        }
        return 0;
    }

    /** The layers' names, top first: {@code 720p, 360p, 180p}. */
    String names() {
        StringJoiner all = new StringJoiner(", ");
        for (TrackConfig c : configs) {
            if (c != null) {
                all.add(LayerRequest.nameOf(c));
            }
        }
        return all.toString();
    }

    private static Refusal violation(String detail) {
        return new Refusal(CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION, detail);
    }
}
