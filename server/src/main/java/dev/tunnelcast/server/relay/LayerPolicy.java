package dev.tunnelcast.server.relay;

/**
 * When the relay moves a player between the layers of a simulcast group (docs/protocol.md,
 * "Layers"): down one layer as soon as the oldest message in its queue is older than
 * {@code downQueueAgeNanos} (or its queue dropped video); up one layer after its queue's
 * oldest message stayed at most {@code upQueueAgeNanos} old for {@code upAfterNanos}.
 */
public record LayerPolicy(long downQueueAgeNanos, long upQueueAgeNanos, long upAfterNanos) {

    public LayerPolicy {
        if (downQueueAgeNanos <= 0 || upQueueAgeNanos < 0 || upAfterNanos <= 0 || upQueueAgeNanos >= downQueueAgeNanos) {
            throw new IllegalArgumentException("layer thresholds: need 0 <= up queue age < down queue age, and up-after > 0");
        }
    }
}
