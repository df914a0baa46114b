package dev.tunnelcast.server.relay;

import dev.tunnelcast.proto.v1.TrackConfig;
import java.util.regex.Pattern;

/**
 * What a player asked of a simulcast stream: {@code ?quality=360p} pins it to the layer of that
 * height; {@code ?quality=auto} (or none) lets the relay choose, starting from {@code ?start=360p},
 * else from the lowest layer that fills its picture ({@code ?viewport=720}: the picture's height
 * in device pixels), else from the top layer. On a stream without layers it asks nothing.
 *
 * @param quality        the layer name asked for (pinned, or the start hint), or null
 * @param pinned         whether the player stays on it
 * @param viewportHeight the player's picture height in device pixels, 0 if not said
 */
public record LayerRequest(String quality, boolean pinned, int viewportHeight) {

    public static final LayerRequest AUTO = new LayerRequest(null, false, 0);

    /** The tallest viewport a player may say it has. */
    static final int MAX_VIEWPORT_HEIGHT = 16_384;
    private static final Pattern VIEWPORT = Pattern.compile("[1-9][0-9]{0,4}");

    private static final Pattern NAME = Pattern.compile("[1-9][0-9]{1,4}p");

    /** A layer's name, what {@code ?quality=} takes: its height and {@code p} ({@code 360p}). */
    public static String nameOf(TrackConfig layer) {
        return layer.getHeight() + "p";
    }

    /**
     * Reads the three query parameters (any may be null).
     *
     * @throws IllegalArgumentException with a message for the player when one is malformed
     */
    public static LayerRequest parse(String quality, String start, String viewport) {
        if (start != null && !NAME.matcher(start).matches()) {
            throw new IllegalArgumentException("start=" + start + " is not a layer name such as 360p");
        }
        int viewportHeight = 0;
        if (viewport != null) {
            viewportHeight = VIEWPORT.matcher(viewport).matches() ? Integer.parseInt(viewport) : -1;
            if (viewportHeight < 1 || viewportHeight > MAX_VIEWPORT_HEIGHT) {
                throw new IllegalArgumentException("viewport=" + viewport + " is not a height in device pixels from 1 to "
                        + MAX_VIEWPORT_HEIGHT);
            }
        }
        if (quality == null || quality.equals("auto")) {
            return new LayerRequest(start, false, viewportHeight);
        }
        if (!NAME.matcher(quality).matches()) {
            throw new IllegalArgumentException("quality=" + quality + " is neither auto nor a layer name such as 360p");
        }
        if (start != null) {
            throw new IllegalArgumentException("start= goes with quality=auto, not with a pinned quality=" + quality);
        }
        return new LayerRequest(quality, true, 0);
    }
}
