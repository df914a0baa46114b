package dev.tunnelcast.server.relay;

/**
 * When one player should move between the layers of a simulcast track, judged from its queue
 * alone: no I/O, no lock and no clock of its own (every call says what time it is), so a test
 * drives it with plain numbers. Layers are numbered from 0, the top one, downwards.
 *
 * <ul>
 *   <li>Down one layer when the oldest message queued for the player is older than the down
 *   delay. Only messages queued since the last switch count: the backlog of the layer it
 *   left drains at the link's pace and must not push it further down.</li>
 *   <li>Up one layer (a probe) once the queue has stayed under the up delay for the probe
 *   wait. A probe that fails (down again within the base probe wait) doubles the wait, up to
 *   its maximum; an up switch that holds that long resets it. A link that cannot carry the
 *   upper layer is thus tried less and less often.</li>
 *   <li>A pinned player never moves.</li>
 * </ul>
 */
final class LayerPolicy {

    private final long downDelayNanos;
    private final long upDelayNanos;
    private final long probeAfterNanos;
    private final long maxProbeAfterNanos;
    private final int layerCount;
    private final boolean pinned;

    private int layer;
    private long lastSwitchNanos;
    private boolean lastSwitchWasUp;
    private long shortSinceNanos = -1;
    private long probeWaitNanos;

    LayerPolicy(LayerSettings settings, int layerCount, int startLayer, boolean pinned, long nowNanos) {
        this.downDelayNanos = settings.downDelay().toNanos();
        this.upDelayNanos = settings.upDelay().toNanos();
        this.probeAfterNanos = settings.probeAfter().toNanos();
        this.maxProbeAfterNanos = settings.maxProbeAfter().toNanos();
        this.layerCount = layerCount;
        this.pinned = pinned;
        this.layer = startLayer;
        this.lastSwitchNanos = nowNanos;
        this.probeWaitNanos = probeAfterNanos;
    }

    /**
     * The layer the player should be on.
     *
     * @param oldestQueuedAtNanos when the oldest message queued for the player arrived, or -1
     *                            when its queue is empty
     */
    int decide(long nowNanos, long oldestQueuedAtNanos) {
        if (pinned) {
            return layer;
        }
        if (lastSwitchWasUp && nowNanos - lastSwitchNanos >= probeAfterNanos) {
            probeWaitNanos = probeAfterNanos; // the last probe held
        }
        long delay = oldestQueuedAtNanos < 0 ? 0 : nowNanos - oldestQueuedAtNanos;
        if (delay > downDelayNanos && oldestQueuedAtNanos >= lastSwitchNanos && layer < layerCount - 1) {
            return layer + 1;
        }
        if (delay > upDelayNanos) {
            shortSinceNanos = -1;
            return layer;
        }
        if (shortSinceNanos < 0) {
            shortSinceNanos = nowNanos;
        }
        return layer > 0 && nowNanos - shortSinceNanos >= probeWaitNanos ? layer - 1 : layer;
    }

    /** The player moved to {@code newLayer} (at a keyframe of it). */
    void switched(int newLayer, long nowNanos) {
        boolean up = newLayer < layer;
        if (!up && lastSwitchWasUp && nowNanos - lastSwitchNanos < probeAfterNanos) {
            probeWaitNanos = Math.min(2 * probeWaitNanos, maxProbeAfterNanos); // the probe failed
        }
        layer = newLayer;
        lastSwitchNanos = nowNanos;
        lastSwitchWasUp = up;
        shortSinceNanos = -1;
    }

    /** How long the queue must stay short before the next probe up. */
    long probeWaitNanos() {
        return probeWaitNanos;
    }
}
