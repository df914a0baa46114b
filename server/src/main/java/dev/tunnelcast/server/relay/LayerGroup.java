package dev.tunnelcast.server.relay;

import dev.tunnelcast.proto.v1.TrackConfig;
import java.util.Map;
import java.util.TreeMap;

/**
 * The layers of a stream's simulcast group as announced so far ({@code TrackConfig.layer_group}
 * and {@code layer_rank}): rank 0 is the top layer. Not thread-safe: its {@link Stream}
 * guards it with its lock.
 */
final class LayerGroup {

    private final int groupId;
    private final TreeMap<Integer, TrackState> byRank = new TreeMap<>();
    private final Map<Integer, Integer> rankByTrack = new TreeMap<>();

    LayerGroup(int groupId) {
        this.groupId = groupId;
    }

    int groupId() {
        return groupId;
    }

    /** A layer's (re-)announcement. */
    void put(TrackState track) {
        int rank = track.config.getLayerRank();
        byRank.put(rank, track);
        rankByTrack.put(track.config.getTrackId(), rank);
    }

    /** The track that holds {@code rank}, if another than {@code trackId}. */
    boolean rankTakenByOther(int rank, int trackId) {
        TrackState t = byRank.get(rank);
        return t != null && t.config.getTrackId() != trackId;
    }

    /** The rank of a layer track, or -1 for a track of no layer. */
    int rankOf(int trackId) {
        return rankByTrack.getOrDefault(trackId, -1);
    }

    TrackState layer(int rank) {
        return byRank.get(rank);
    }

    /** The best announced layer, or -1 with none. */
    int topRank() {
        return byRank.isEmpty() ? -1 : byRank.firstKey();
    }

    /** The next worse announced layer below {@code rank}, or -1. */
    int lowerThan(int rank) {
        Integer r = byRank.higherKey(rank);
        return r == null ? -1 : r;
    }

    /** The next better announced layer above {@code rank}, or -1. */
    int higherThan(int rank) {
        Integer r = byRank.lowerKey(rank);
        return r == null ? -1 : r;
    }

    /** For a pin ({@code ?quality=360p}): the best layer at most {@code height} tall, else the lowest. */
    int rankForHeight(int height) {
        for (Map.Entry<Integer, TrackState> e : byRank.entrySet()) {
            if (e.getValue().config.getHeight() <= height) {
                return e.getKey();
            }
        }
        return byRank.isEmpty() ? -1 : byRank.lastKey();
    }

    static boolean isLayer(TrackConfig config) {
        return config.getLayerGroup() != 0;
    }
}
