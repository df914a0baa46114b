package dev.tunnelcast.bench.abr;

import dev.tunnelcast.agent.encode.LayerSpec;
import dev.tunnelcast.bench.latency.LiveStack;
import java.util.List;

/**
 * How the stream is published: {@code single}, one 960x540 layer at 2.5 Mbit/s, which a
 * player behind a slow link gets with video dropped up to the next keyframe (today's
 * behaviour); {@code simulcast}, three layers among which the relay moves each player.
 */
enum AbrMode {
    SINGLE("single", List.of()),
    SIMULCAST("simulcast", LayerSpec.parseList(AbrMode.LAYERS));

    static final String LAYERS = "960x540@2500k,640x360@700k,320x180@200k";
    static final int WIDTH = 960;
    static final int HEIGHT = 540;
    static final int FRAME_RATE = 30;
    static final int BITRATE_BPS = 2_500_000;

    final String label;
    private final List<LayerSpec> layers;

    AbrMode(String label, List<LayerSpec> layers) {
        this.label = label;
        this.layers = layers;
    }

    static AbrMode named(String name) {
        for (AbrMode m : values()) {
            if (m.label.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + name + "'; known: single, simulcast");
    }

    /** The stack's source options: 960x540, 30 fps, 2.5 Mbit/s (the single layer's; simulcast takes its layers' own). */
    static LiveStack.Options source() {
        return new LiveStack.Options(WIDTH, HEIGHT, FRAME_RATE, BITRATE_BPS, java.time.Duration.ofSeconds(3));
    }

    /** Starts an agent publishing this mode's stream; returns once the relay has it live with video. */
    void publish(LiveStack stack, String stream) {
        if (layers.isEmpty()) {
            stack.publish(stream);
        } else {
            stack.publishLayers(stream, layers);
        }
    }

    String describe() {
        return layers.isEmpty() ? "one layer, " + WIDTH + "x" + HEIGHT + " at " + BITRATE_BPS / 1000 + "k (drop-to-keyframe)"
                : "simulcast " + LAYERS;
    }
}
