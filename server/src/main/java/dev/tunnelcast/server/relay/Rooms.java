package dev.tunnelcast.server.relay;

import dev.tunnelcast.proto.v1.PublisherState;
import dev.tunnelcast.wire.RoomName;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every room with at least one member, by name. A room's members are the streams
 * {@code room.participant} ({@link RoomName}) that have a live publisher: its {@link Stream}
 * joins the room when a publisher attaches and leaves it when the publisher detaches, always
 * under the stream's lock (so locks are taken in the order stream, then room). A room is made
 * by its first member and forgotten with its last.
 */
final class Rooms {

    private final RelayContext context;
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();

    Rooms(RelayContext context) {
        this.context = context;
    }

    /**
     * Makes {@code peer} the publisher of participant {@code name} in its room: a new member,
     * or the same member on a new connection (a takeover, which is not a leave and a join).
     * Runs {@code welcome} once admitted, before any room event reaches {@code peer}.
     *
     * @throws Refusal 4430 when a new member would make the room larger than {@code --max-room-size}
     */
    void join(RoomName name, Peer peer, PublisherHello hello, PublisherState state, Runnable welcome) throws Refusal {
        for (;;) {
            Room room = rooms.computeIfAbsent(name.room(), n -> new Room(n, context, this));
            if (room.join(name.participant(), peer, hello, state, welcome)) {
                return;
            }
            // The room lost its last member between lookup and join: take the fresh one.
        }
    }

    /** {@code peer} stopped publishing participant {@code name}; {@code reason} is "left" or "connection lost". */
    void leave(RoomName name, Peer peer, String reason) {
        Room room = rooms.get(name.room());
        if (room != null) {
            room.leave(name.participant(), peer, reason);
        }
    }

    /** The participant's publisher changed what the others should show. */
    void update(RoomName name, Peer peer, PublisherState state) {
        Room room = rooms.get(name.room());
        if (room != null) {
            room.update(name.participant(), peer, state);
        }
    }

    void remove(Room room) {
        rooms.remove(room.name(), room);
    }
}
