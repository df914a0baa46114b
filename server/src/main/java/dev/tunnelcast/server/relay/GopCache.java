package dev.tunnelcast.server.relay;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Everything a stream's publisher sent since the last keyframe of its primary (first) video
 * track, audio of that span included, in arrival order — what a new player needs to start
 * at once. Bounded in bytes: a GOP that grows over the bound is forgotten, and the cache
 * refills from the next keyframe (joiners meanwhile wait for it). Not thread-safe: the
 * owning {@link Stream} guards it with its lock.
 */
final class GopCache {

    private final long maxBytes;
    private final ArrayDeque<RelayedMessage> messages = new ArrayDeque<>();
    private long bytes;
    private boolean started;

    GopCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** @param primaryVideo the message belongs to the track whose keyframes start a GOP */
    void append(RelayedMessage message, boolean primaryVideo) {
        if (primaryVideo && message.keyframe()) {
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

    /** Forgets everything; the next primary keyframe starts a new GOP. */
    void clear() {
        messages.clear();
        bytes = 0;
        started = false;
    }

    /** True when the cache holds a GOP that starts at a keyframe. */
    boolean hasKeyframe() {
        return started && !messages.isEmpty();
    }

    List<RelayedMessage> snapshot() {
        return List.copyOf(messages);
    }

    long bytes() {
        return bytes;
    }

    int size() {
        return messages.size();
    }
}
