package dev.tunnelcast.server.auth;

/** What a token allows: publishing or playing. */
public enum Action {
    PUBLISH("publish"),
    PLAY("play");

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
        throw new IllegalArgumentException("unknown action '" + name + "' (publish or play)");
    }
}
