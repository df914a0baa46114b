package dev.tunnelcast.server.relay;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.Hello;
import java.util.regex.Pattern;

/**
 * What a publisher's {@code Hello} says beyond its role, checked once at Hello: the name the
 * other participants of its room see, whether it wants room events, and its instance id (a
 * publisher that comes back with the instance id of the stream's current publisher takes its
 * own stream over at once).
 *
 * @param displayName the name to show; empty: the participant id is shown
 * @param roomEvents  push {@code RoomEvent}s about the publisher's room to it
 * @param instanceId  random per page load or process, or empty
 */
public record PublisherHello(String displayName, boolean roomEvents, String instanceId) {

    /** The longest display name, in Unicode characters (code points). */
    public static final int MAX_DISPLAY_NAME_CHARS = 64;
    /** An instance id, when present. */
    public static final String INSTANCE_ID_PATTERN = "[A-Za-z0-9_-]{8,64}";

    private static final Pattern INSTANCE_ID = Pattern.compile(INSTANCE_ID_PATTERN);

    /** A Hello without any of these fields, as an agent of before rooms sends it. */
    public static final PublisherHello PLAIN = new PublisherHello("", false, "");

    /**
     * The publisher fields of {@code hello}.
     *
     * @throws Refusal 4422 when the display name or the instance id breaks its rule
     */
    public static PublisherHello of(Hello hello) throws Refusal {
        String displayName = hello.getDisplayName();
        int chars = displayName.codePointCount(0, displayName.length());
        if (chars > MAX_DISPLAY_NAME_CHARS) {
            throw new Refusal(CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION,
                    "Hello.display_name has " + chars + " characters (at most " + MAX_DISPLAY_NAME_CHARS + ")");
        }
        if (displayName.codePoints().anyMatch(PublisherHello::isControl)) {
            throw new Refusal(CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION,
                    "Hello.display_name contains a control character or a line break");
        }
        String instanceId = hello.getInstanceId();
        if (!instanceId.isEmpty() && !INSTANCE_ID.matcher(instanceId).matches()) {
            throw new Refusal(CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION,
                    "Hello.instance_id must match " + INSTANCE_ID_PATTERN + " (8 to 64 letters, digits, '_' or '-')");
        }
        return new PublisherHello(displayName, hello.getRoomEvents(), instanceId);
    }

    /** Whether {@code other} is a connection of the same publisher instance (both have the same non-empty id). */
    boolean isSameInstanceAs(PublisherHello other) {
        return !instanceId.isEmpty() && instanceId.equals(other.instanceId);
    }

    /** Control characters (Cc) and line or paragraph separators would break every display of the name. */
    private static boolean isControl(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }
}
