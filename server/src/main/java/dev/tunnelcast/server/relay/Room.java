package dev.tunnelcast.server.relay;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.PublisherState;
import dev.tunnelcast.proto.v1.RoomChange;
import dev.tunnelcast.proto.v1.RoomEvent;
import dev.tunnelcast.proto.v1.RoomMember;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One room: its members and the {@code RoomEvent}s they asked for ({@code Hello.room_events}).
 * Each event carries the whole membership, so the events to one member must arrive in the
 * order of the changes: they are handed, under the room's lock, to the member's I/O thread
 * ({@link Peer#execute}, whose tasks run in order), which writes them on its control path
 * ({@link Peer#sendControl}), never behind media. Writing there rather than here keeps a
 * failing socket (whose close detaches another stream) from re-entering the locks held here.
 *
 * <p>A member's {@code PublisherState} changes reach the others at once, but at most one
 * {@code UPDATED} per member per {@link #MIN_UPDATE_INTERVAL_MILLIS}: changes within it are
 * coalesced into one event at its end (counted), so that a publisher flipping its state
 * cannot flood the others' sockets.
 */
final class Room {

    /** The shortest time between two {@code UPDATED} events about one member's state. */
    static final long MIN_UPDATE_INTERVAL_MILLIS = 50;
    private static final long MIN_UPDATE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(MIN_UPDATE_INTERVAL_MILLIS);

    /** One member; its fields change under the room's lock. */
    private static final class Member {
        final String participant;
        final String stream;
        final long joinedMicros;
        Peer peer;
        PublisherHello hello;
        PublisherState state;
        long lastUpdateNanos = Long.MIN_VALUE / 2; // never
        boolean updatePending;

        Member(String participant, String stream, long joinedMicros) {
            this.participant = participant;
            this.stream = stream;
            this.joinedMicros = joinedMicros;
        }

        String shownName() {
            return hello.displayName().isEmpty() ? participant : hello.displayName();
        }

        RoomMember toProto() {
            return RoomMember.newBuilder().setParticipant(participant).setStream(stream).setDisplayName(shownName())
                    .setAudioMuted(state.getAudioMuted()).setVideoMuted(state.getVideoMuted())
                    .setScreenShare(state.getScreenShare()).setJoinedMicros(joinedMicros).build();
        }
    }

    private final String name;
    private final RelayContext context;
    private final Rooms rooms;
    private final Object lock = new Object();
    // Guarded by lock; in join order.
    private final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
    private boolean retired;

    Room(String name, RelayContext context, Rooms rooms) {
        this.name = name;
        this.context = context;
        this.rooms = rooms;
    }

    String name() {
        return name;
    }

    /** See {@link Rooms#join}; false when this room was retired (its last member left) meanwhile. */
    boolean join(String participant, Peer peer, PublisherHello hello, PublisherState state, Runnable welcome) throws Refusal {
        synchronized (lock) {
            if (retired) {
                return false;
            }
            int max = context.policy().maxRoomSize();
            Member member = members.get(participant);
            boolean isNew = member == null;
            if (isNew) {
                if (members.size() >= max) {
                    throw new Refusal(CloseCode.CLOSE_CODE_ROOM_FULL,
                            "room " + name + " has " + members.size() + " members, the most allowed (--max-room-size " + max + ")");
                }
                member = new Member(participant, peer.stream(), context.clock().nowMicros());
                if (members.isEmpty()) {
                    context.metrics().roomOpened();
                }
                members.put(participant, member);
                context.metrics().roomMemberJoined();
            }
            String shownBefore = isNew ? null : member.shownName();
            member.peer = peer;
            member.hello = hello;
            member.state = state;
            welcome.run();
            if (hello.roomEvents()) {
                send(peer, event(RoomChange.ROOM_CHANGE_SNAPSHOT, "", ""));
            }
            if (isNew) {
                broadcast(event(RoomChange.ROOM_CHANGE_JOINED, participant, ""), peer);
            } else if (!shownBefore.equals(member.shownName())) {
                broadcast(event(RoomChange.ROOM_CHANGE_UPDATED, participant, ""), peer);
            }
            return true;
        }
    }

    /** See {@link Rooms#leave}; nothing when {@code peer} is no longer the participant's publisher. */
    void leave(String participant, Peer peer, String reason) {
        synchronized (lock) {
            Member member = members.get(participant);
            if (member == null || member.peer != peer) {
                return;
            }
            members.remove(participant);
            context.metrics().roomMemberLeft();
            if (members.isEmpty()) {
                retired = true;
                context.metrics().roomClosed();
                rooms.remove(this);
                return;
            }
            broadcast(event(RoomChange.ROOM_CHANGE_LEFT, participant, reason), null);
        }
    }

    /** See {@link Rooms#update}. */
    void update(String participant, Peer peer, PublisherState state) {
        synchronized (lock) {
            Member member = members.get(participant);
            if (member == null || member.peer != peer || member.state.equals(state)) {
                return;
            }
            member.state = state;
            if (member.updatePending) {
                context.metrics().roomUpdateCoalesced();
                return;
            }
            long now = context.clock().monotonicNanos();
            long wait = member.lastUpdateNanos + MIN_UPDATE_INTERVAL_NANOS - now;
            if (wait <= 0) {
                announceUpdate(member, now);
            } else {
                try {
                    context.scheduler().schedule(() -> flushUpdate(member), wait, TimeUnit.NANOSECONDS);
                    member.updatePending = true;
                } catch (RejectedExecutionException stopping) {
                    // the relay is shutting down: nobody is waiting for this update
                }
            }
        }
    }

    private void flushUpdate(Member member) {
        synchronized (lock) {
            member.updatePending = false;
            if (members.get(member.participant) == member) {
                announceUpdate(member, context.clock().monotonicNanos());
            }
        }
    }

    private void announceUpdate(Member member, long nowNanos) {
        member.lastUpdateNanos = nowNanos;
        broadcast(event(RoomChange.ROOM_CHANGE_UPDATED, member.participant, ""), null);
    }

    /** Sends {@code event} to every member that asked for events, but {@code except}. */
    private void broadcast(Envelope event, Peer except) {
        for (Member member : members.values()) {
            if (member.hello.roomEvents() && member.peer != except) {
                send(member.peer, event);
            }
        }
    }

    private void send(Peer peer, Envelope event) {
        try {
            peer.execute(() -> peer.sendControl(event));
            context.metrics().roomEventSent(event.getRoomEvent().getChange());
        } catch (RejectedExecutionException stopping) {
            // The peer's I/O thread is stopping: the relay shuts down and closes everyone.
        }
    }

    private Envelope event(RoomChange change, String participant, String reason) {
        List<Member> byJoin = new ArrayList<>(members.values());
        byJoin.sort(Comparator.comparingLong(m -> m.joinedMicros)); // stable: join order breaks ties
        RoomEvent.Builder event = RoomEvent.newBuilder().setRoom(name).setChange(change).setParticipant(participant)
                .setMaxMembers(context.policy().maxRoomSize()).setReason(reason);
        for (Member member : byJoin) {
            event.addMembers(member.toProto());
        }
        return Envelope.newBuilder().setRoomEvent(event).build();
    }
}
