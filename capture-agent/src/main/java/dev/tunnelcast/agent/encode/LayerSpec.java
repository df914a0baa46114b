package dev.tunnelcast.agent.encode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One simulcast layer as {@code --layers} gives it: {@code 640x360@700k} (docs/agent.md).
 *
 * @param bitrateBps the layer's video bitrate, bit/s
 */
public record LayerSpec(int width, int height, int bitrateBps) {

    private static final Pattern SPEC = Pattern.compile("(\\d+)x(\\d+)@(.+)");

    public LayerSpec {
        if (width <= 0 || height <= 0 || (width & 1) != 0 || (height & 1) != 0) {
            throw new IllegalArgumentException("layer size must be positive and even, got " + width + "x" + height);
        }
        if (bitrateBps <= 0) {
            throw new IllegalArgumentException("layer bitrate must be positive");
        }
    }

    /**
     * {@code WxH@RATE,...}, the top (best) layer first, each next one smaller and at a lower bitrate.
     *
     * @param bitrate parses a rate such as {@code 700k} (the agent's unit parser)
     */
    public static List<LayerSpec> parseList(String text, java.util.function.ToIntFunction<String> bitrate) {
        List<LayerSpec> layers = new ArrayList<>();
        for (String part : text.split(",")) {
            Matcher m = SPEC.matcher(part.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("--layers takes WxH@RATE,... e.g. 1280x720@2500k,640x360@700k; got '" + part + "'");
            }
            layers.add(new LayerSpec(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    bitrate.applyAsInt(m.group(3))));
        }
        if (layers.size() < 2) {
            throw new IllegalArgumentException("--layers needs at least two layers");
        }
        for (int i = 1; i < layers.size(); i++) {
            LayerSpec above = layers.get(i - 1);
            LayerSpec layer = layers.get(i);
            if (layer.height >= above.height || layer.width > above.width || layer.bitrateBps >= above.bitrateBps) {
                throw new IllegalArgumentException("--layers: each layer must be smaller and at a lower bitrate than the one before ("
                        + layer.width + "x" + layer.height + " after " + above.width + "x" + above.height + ")");
            }
        }
        return List.copyOf(layers);
    }
}
