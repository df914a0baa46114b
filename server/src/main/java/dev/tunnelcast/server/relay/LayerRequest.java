package dev.tunnelcast.server.relay;

import dev.tunnelcast.proto.v1.TrackConfig;
import java.util.regex.Pattern;

/**
 * What a player asked of a simulcast stream: {@code ?quality=360p} pins it to the layer of that
 * height; {@code ?quality=auto} (or none) lets the relay choose, starting from {@code ?start=360p}
 * or else from the top layer. On a stream without layers it asks nothing.
 *
 * @param quality the layer name asked for (pinned, or the start hint), or null for the top layer
 * @param pinned  whether the player stays on it
 */
public record LayerRequest(String quality, boolean pinned) {

    public static final LayerRequest AUTO = new LayerRequest(null, false);

    private static final Pattern NAME = Pattern.compile("[1-9][0-9]{1,4}p");

    /** A layer's name, what {@code ?quality=} takes: its height and {@code p} ({@code 360p}). */
    public static String nameOf(TrackConfig layer) {
        return layer.getHeight() + "p";
    }

    /**
     * Reads the two query parameters (either may be null).
     *
     * @throws IllegalArgumentException with a message for the player when one is malformed
     */
    public static LayerRequest parse(String quality, String start) {
        if (start != null && !NAME.matcher(start).matches()) {
            throw new IllegalArgumentException("start=" + start + " is not a layer name such as 360p");
        }
        if (quality == null || quality.equals("auto")) {
            return new LayerRequest(start, false);
        }
        if (!NAME.matcher(quality).matches()) {
            throw new IllegalArgumentException("quality=" + quality + " is neither auto nor a layer name such as 360p");
        }
        if (start != null) {
            throw new IllegalArgumentException("start= goes with quality=auto, not with a pinned quality=" + quality);
        }
        return new LayerRequest(quality, true);
    }
}
