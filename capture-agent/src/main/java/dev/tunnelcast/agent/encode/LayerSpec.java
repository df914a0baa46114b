package dev.tunnelcast.agent.encode;

import dev.tunnelcast.wire.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One simulcast layer as {@code --layers} gives it: {@code 640x360@700k}, a picture size and a
 * bitrate (docs/agent.md, "Simulcast").
 */
public record LayerSpec(int width, int height, int bitrateBps) {

    /** The relay's bound (docs/protocol.md, "Simulcast"). */
    public static final int MAX_LAYERS = 4;
    private static final Pattern FORM = Pattern.compile("(\\d{1,5})x(\\d{1,5})@(.+)");

    /**
     * Reads {@code 1280x720@2500k,640x360@700k,320x180@200k}: 2 to {@value #MAX_LAYERS} layers,
     * top first, heights falling, sizes even.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static List<LayerSpec> parseList(String text) {
        List<LayerSpec> layers = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            Matcher m = FORM.matcher(part.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not WxH@BITRATE, e.g. 640x360@700k");
            }
            int width = Integer.parseInt(m.group(1));
            int height = Integer.parseInt(m.group(2));
            if (width == 0 || height == 0 || width % 2 != 0 || height % 2 != 0) {
                throw new IllegalArgumentException("layer " + part.trim() + ": width and height must be even and positive");
            }
            int bitrate = Units.parseBitrate(m.group(3));
            if (bitrate <= 0) {
                throw new IllegalArgumentException("layer " + part.trim() + ": the bitrate must be positive");
            }
            if (!layers.isEmpty() && height >= layers.get(layers.size() - 1).height()) {
                throw new IllegalArgumentException("layer " + part.trim() + ": heights must fall from the first layer"
                        + " (a layer is named by its height, e.g. 360p)");
            }
            layers.add(new LayerSpec(width, height, bitrate));
        }
        if (layers.size() < 2 || layers.size() > MAX_LAYERS) {
            throw new IllegalArgumentException("give 2 to " + MAX_LAYERS + " layers, got " + layers.size());
        }
        return List.copyOf(layers);
    }
}
