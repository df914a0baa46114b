package dev.tunnelcast.server.auth;

/**
 * What a token allows: publishing or playing a stream, or taking part in a room ({@code join}:
 * publishing one's own stream of the room and playing all of them).
 */
public enum Action {
    PUBLISH("publish"),
    PLAY("play"),
    JOIN("join");

    private final String wireName;

    Action(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in tokens and on the command line. */
    public String wireName() {
        return wireName;
    }

    public static Action fromWireName(String name) {
        for (Action a : values()) {
            if (a.wireName.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown action '" + name + "' (publish, play or join)");
    }
}
