package dev.tunnelcast.server.relay;

/**
 * Which layer of the stream's simulcast group one player gets, and when that changes. The
 * player starts on the top layer, or on the one its pin names; an unpinned player is moved
 * down when its queue grows and up after it stayed short ({@link LayerPolicy}). A move only
 * sets a target: the player keeps its layer until the target's next keyframe, which is then
 * sent right after the target's TrackConfig ({@link Admit#SWITCH}), so the player never gets
 * a frame it cannot decode. A move up that has to come back down within the up-wait is a
 * failed probe: the wait before the next one doubles (up to 8 times), so that a player whose
 * link carries one layer stays on it rather than stalling on every probe. No I/O, no lock, no clock of its own: its {@link Stream} calls it
 * under the stream lock and says what time it is.
 */
final class LayerChoice {

    /** What to do with one message of a layer track for this player. */
    enum Admit {
        /** The player's layer: send it. */
        FORWARD,
        /** The target's keyframe: send the target's TrackConfig, then it; the target is the player's layer now. */
        SWITCH,
        /** Another layer: not for this player. */
        SKIP
    }

    /** 0: not pinned; else the height the player asked for ({@code ?quality=360p}). */
    private final int pinnedHeight;
    private int currentRank = -1;
    private int targetRank = -1;
    private long shortSinceNanos = -1;
    /** When the player last changed layers: a backlog older than that is the old layer's, not a reason to move again. */
    private long switchedAtNanos = Long.MIN_VALUE;
    /** When the player last moved up, for telling a failed probe. */
    private long upAtNanos = Long.MIN_VALUE / 2;
    /** How many failed probes in a row: each doubles the wait before the next (at most {@value #MAX_BACKOFF_DOUBLINGS}). */
    private int failedProbes;
    private static final int MAX_BACKOFF_DOUBLINGS = 3;
    /** Whether the last {@link Admit#SWITCH} replaced a layer the player had (a switch, not the start). */
    private boolean lastWasSwitch;

    LayerChoice(int pinnedHeight) {
        this.pinnedHeight = pinnedHeight;
    }

    /** The rank the player gets now, or -1 before its first keyframe. */
    int currentRank() {
        return currentRank;
    }

    int targetRank() {
        return targetRank;
    }

    boolean isPinned() {
        return pinnedHeight > 0;
    }

    /** The publisher (re)started: the player starts over at the next keyframe of its start layer. */
    void restart() {
        currentRank = -1;
        targetRank = -1;
        shortSinceNanos = -1;
    }

    Admit admit(int rank, boolean keyframe, LayerGroup group, long nowNanos) {
        if (currentRank < 0 && targetRank < 0) {
            targetRank = pinnedHeight > 0 ? group.rankForHeight(pinnedHeight) : group.topRank();
        }
        if (rank == targetRank && keyframe) {
            lastWasSwitch = currentRank >= 0;
            if (lastWasSwitch && rank < currentRank) {
                upAtNanos = nowNanos;
            }
            currentRank = rank;
            targetRank = -1;
            shortSinceNanos = nowNanos;
            switchedAtNanos = nowNanos;
            return Admit.SWITCH;
        }
        return rank == currentRank ? Admit.FORWARD : Admit.SKIP;
    }

    /** Whether the last {@link Admit#SWITCH} was a move between layers (counted), not the start. */
    boolean lastWasSwitch() {
        return lastWasSwitch;
    }

    /**
     * Looks at the player's queue after a message of its layer was offered: sets a lower
     * target when the queue grew ({@code queueAgeNanos} over the bound, or video dropped) with
     * messages queued since the last switch, a higher one when it stayed short long enough. True when a new target was set: the
     * publisher should send a keyframe.
     */
    boolean steer(long queueAgeNanos, boolean droppedVideo, LayerGroup group, LayerPolicy policy, long nowNanos) {
        if (pinnedHeight > 0 || currentRank < 0) {
            return false;
        }
        boolean backlogOfThisLayer = nowNanos - queueAgeNanos >= switchedAtNanos;
        if (droppedVideo || queueAgeNanos > policy.downQueueAgeNanos()) {
            shortSinceNanos = -1;
            if (!backlogOfThisLayer) {
                return false;
            }
            int lower = group.lowerThan(currentRank);
            if (lower < 0 || targetRank == lower) {
                return false;
            }
            // Down again within the up-wait of moving up: the probe failed, wait longer before the next.
            boolean failedProbe = nowNanos - upAtNanos < policy.upAfterNanos();
            failedProbes = failedProbe ? Math.min(failedProbes + 1, MAX_BACKOFF_DOUBLINGS) : 0;
            targetRank = lower;
            return true;
        }
        if (queueAgeNanos > policy.upQueueAgeNanos()) {
            shortSinceNanos = -1;
            return false;
        }
        if (shortSinceNanos < 0) {
            shortSinceNanos = nowNanos;
            return false;
        }
        int higher = group.higherThan(currentRank);
        if (higher < 0 || targetRank >= 0 || nowNanos - shortSinceNanos < (policy.upAfterNanos() << failedProbes)) {
            return false;
        }
        targetRank = higher;
        shortSinceNanos = -1;
        return true;
    }
}
