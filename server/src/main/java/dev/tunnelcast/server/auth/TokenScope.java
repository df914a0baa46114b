package dev.tunnelcast.server.auth;

import dev.tunnelcast.wire.RoomName;

/** Which streams an accepted token covers, for the action it was checked for. */
public sealed interface TokenScope {

    /** Every stream: a token for {@code *}, or no token secret at all. */
    TokenScope ALL = new AllStreams();

    boolean covers(String stream);

    /** Every stream. */
    record AllStreams() implements TokenScope {
        @Override
        public boolean covers(String stream) {
            return true;
        }
    }

    /** The one stream named. */
    record OneStream(String name) implements TokenScope {
        @Override
        public boolean covers(String stream) {
            return name.equals(stream);
        }
    }

    /** Every stream of a room: those named {@code room.participant} ({@link RoomName}). */
    record RoomStreams(String room) implements TokenScope {
        @Override
        public boolean covers(String stream) {
            return RoomName.parse(stream).map(r -> r.room().equals(room)).orElse(false);
        }
    }
}
