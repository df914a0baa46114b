package dev.tunnelcast.server.relay;

/**
 * How a publisher stopped: cleanly (its {@code EndOfStream} or its own close frame) or not (the
 * connection vanished or failed, or the relay refused it). Its room tells the others which
 * ({@code RoomEvent.reason}); players see {@code detail} in their {@code Status{OFFLINE}}.
 *
 * @param clean  the publisher said it was leaving
 * @param detail one line for players and the log
 */
public record PublisherExit(boolean clean, String detail) {

    /** {@code RoomEvent.reason} of a clean exit. */
    public static final String LEFT = "left";
    /** {@code RoomEvent.reason} of any other exit. */
    public static final String CONNECTION_LOST = "connection lost";

    public static PublisherExit clean(String detail) {
        return new PublisherExit(true, detail);
    }

    public static PublisherExit lost(String detail) {
        return new PublisherExit(false, detail);
    }

    /** What the publisher's room is told. */
    String roomReason() {
        return clean ? LEFT : CONNECTION_LOST;
    }
}
