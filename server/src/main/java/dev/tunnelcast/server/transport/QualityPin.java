package dev.tunnelcast.server.transport;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A player's {@code ?quality=} request parameter: {@code 360p} pins it to the simulcast
 * layer of that height (or the best one below it); absent, empty or {@code auto} leaves the
 * choice to the relay. Anything else is refused with 4400 (docs/protocol.md, "Layers").
 *
 * @param height the pinned height in pixels, 0 for none
 * @param isValid whether the parameter was understood
 */
record QualityPin(int height, boolean isValid) {

    static final String PARAMETER = "quality";
    static final String RULE = "?quality= takes a height such as 360p, or auto";
    private static final Pattern HEIGHT = Pattern.compile("([1-9][0-9]{1,4})p");

    static QualityPin parse(String value) {
        if (value == null || value.isEmpty() || value.equals("auto")) {
            return new QualityPin(0, true);
        }
        Matcher m = HEIGHT.matcher(value);
        return m.matches() ? new QualityPin(Integer.parseInt(m.group(1)), true) : new QualityPin(0, false);
    }
}
