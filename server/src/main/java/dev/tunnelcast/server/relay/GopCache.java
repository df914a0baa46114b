package dev.tunnelcast.server.relay;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Everything a stream's publisher sent since the last keyframe of its primary (first) video
 * track, audio of that span included, in arrival order — what a new player needs to start
 * at once. A simulcast track ({@link SimulcastLayers}) has such a GOP per layer, each with the
 * layer's own video and everything else, so that a joiner starts at a keyframe of its layer;
 * the layers share the messages, not copies. Bounded in bytes per layer: a GOP that grows over
 * the bound is forgotten, and that layer's cache refills from its next keyframe (joiners
 * meanwhile wait for it). Not thread-safe: the owning {@link Stream} guards it with its lock.
 */
final class GopCache {

    private final long maxBytes;
    private final Gop[] gops = new Gop[SimulcastLayers.MAX_LAYERS];

    GopCache(long maxBytes) {
        this.maxBytes = maxBytes;
        for (int i = 0; i < gops.length; i++) {
            gops[i] = new Gop();
        }
    }

    /** @param primaryVideo the message belongs to the track whose keyframes start a GOP */
    void append(RelayedMessage message, boolean primaryVideo) {
        if (primaryVideo) {
            gops[slot(message.layer())].append(message, message.keyframe());
            return;
        }
        for (Gop gop : gops) {
            gop.append(message, false);
        }
    }

    /** Forgets every layer's GOP; the next primary keyframe of each starts a new one. */
    void clear() {
        for (Gop gop : gops) {
            gop.clear();
        }
    }

    /** Forgets the GOP of one layer ({@link RelayedMessage#NO_LAYER}: of a track without layers). */
    void clear(int layer) {
        gops[slot(layer)].clear();
    }

    /** True when the cache holds a GOP of {@code layer} that starts at a keyframe. */
    boolean hasKeyframe(int layer) {
        Gop gop = gops[slot(layer)];
        return gop.started && !gop.messages.isEmpty();
    }

    List<RelayedMessage> snapshot(int layer) {
        return List.copyOf(gops[slot(layer)].messages);
    }

    long bytes(int layer) {
        return gops[slot(layer)].bytes;
    }

    int size(int layer) {
        return gops[slot(layer)].messages.size();
    }

    /** A track without layers keeps its GOP where layer 0 would. */
    private static int slot(int layer) {
        return Math.max(0, layer);
    }

    private final class Gop {
        private final ArrayDeque<RelayedMessage> messages = new ArrayDeque<>();
        private long bytes;
        private boolean started;

        void append(RelayedMessage message, boolean startsGop) {
            if (startsGop) {
                clear();
                started = true;
            }
            if (!started) {
                return;
            }
            messages.addLast(message);
            bytes += message.sizeBytes();
            if (bytes > maxBytes) {
                clear();
            }
        }

        void clear() {
            messages.clear();
            bytes = 0;
            started = false;
        }
    }
}
