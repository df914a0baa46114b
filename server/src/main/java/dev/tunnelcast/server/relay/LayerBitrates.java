package dev.tunnelcast.server.relay;

/**
 * What each layer of a stream's simulcast track costs a player's link, measured as it comes in:
 * the layer's own bytes plus everything every player gets whatever its layer (audio, other
 * tracks). Each is a decaying average over about {@value #TIME_CONSTANT_SECONDS} s, so a
 * keyframe is spread over the seconds around it rather than read as a burst. Not thread-safe:
 * the owning {@link Stream} feeds and reads it under its lock.
 */
final class LayerBitrates {

    static final int TIME_CONSTANT_SECONDS = 4;
    private static final long TIME_CONSTANT_NANOS = TIME_CONSTANT_SECONDS * 1_000_000_000L;

    private final DecayingRate[] layers = new DecayingRate[SimulcastLayers.MAX_LAYERS];
    private final DecayingRate shared = new DecayingRate(TIME_CONSTANT_NANOS);

    LayerBitrates() {
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new DecayingRate(TIME_CONSTANT_NANOS);
        }
    }

    /** A packet of {@code bytes} came in: of {@code layer}, or {@link RelayedMessage#NO_LAYER} for one every player gets. */
    void add(int layer, int bytes, long nowNanos) {
        (layer == RelayedMessage.NO_LAYER ? shared : layers[layer]).add(bytes, nowNanos);
    }

    /** Bits per second a player on {@code layer} receives: the layer and what every player gets. */
    long needBitsPerSecond(int layer, long nowNanos) {
        return layers[layer].bitsPerSecond(nowNanos) + shared.bitsPerSecond(nowNanos);
    }
}
