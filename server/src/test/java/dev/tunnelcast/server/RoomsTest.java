package dev.tunnelcast.server;

import static dev.tunnelcast.server.testing.Messages.AUDIO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.EndOfStream;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Ping;
import dev.tunnelcast.proto.v1.PublisherState;
import dev.tunnelcast.proto.v1.RoomChange;
import dev.tunnelcast.proto.v1.RoomEvent;
import dev.tunnelcast.proto.v1.RoomMember;
import dev.tunnelcast.proto.v1.StatusCode;
import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rooms on a real relay with real WebSocket clients (docs/protocol.md, "Rooms"): the members
 * of room R are the streams R.P with a live publisher; publishers that ask get a snapshot and
 * then every join, leave and update; the room-size limit, display names, instance ids.
 */
class RoomsTest {

    static Relay relay;
    static final AtomicInteger rooms = new AtomicInteger();

    @BeforeAll
    static void start() {
        relay = Relay.start(TestRelays.config().build());
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    /** A participant's publisher past Welcome, and the SNAPSHOT it got if it asked for events. */
    record Participant(WsClient client, RoomEvent snapshot) {
        RoomEvent nextEvent() {
            Envelope next = client.next().envelope();
            assertThat(next.getKindCase()).as("next message: %s", next).isEqualTo(Envelope.KindCase.ROOM_EVENT);
            return next.getRoomEvent();
        }

        /** Proves that nothing arrived before a Ping's answer (no RoomEvent, in particular). */
        void assertNothingPending() {
            client.send(Envelope.newBuilder().setPing(Ping.newBuilder().setId(7)).build());
            Envelope next = client.next().envelope();
            assertThat(next.getKindCase()).as("next message: %s", next).isEqualTo(Envelope.KindCase.PONG);
        }
    }

    static Participant join(Relay on, String room, String participant, String displayName, boolean events, String instanceId) {
        WsClient client = WsClient.connect(TestRelays.publishUri(on, room + "." + participant));
        client.send(Messages.publisherHello(displayName, events, instanceId));
        Envelope welcome = client.next().envelope();
        assertThat(welcome.getKindCase()).as("answer to Hello: %s", welcome).isEqualTo(Envelope.KindCase.WELCOME);
        Participant joined = new Participant(client, null);
        if (!events) {
            return joined;
        }
        RoomEvent snapshot = joined.nextEvent();
        assertThat(snapshot.getChange()).isEqualTo(RoomChange.ROOM_CHANGE_SNAPSHOT);
        return new Participant(client, snapshot);
    }

    static Participant join(String room, String participant) {
        return join(relay, room, participant, "", true, "");
    }

    static List<String> participants(RoomEvent event) {
        return event.getMembersList().stream().map(RoomMember::getParticipant).toList();
    }

    static RoomMember member(RoomEvent event, String participant) {
        return event.getMembersList().stream().filter(m -> m.getParticipant().equals(participant)).findFirst()
                .orElseThrow(() -> new AssertionError(participant + " is not in " + event));
    }

    static String freshRoom() {
        return "room" + rooms.incrementAndGet();
    }

    @Test
    void aSnapshotFollowsWelcomeAndEveryJoinAndLeaveFollowsIt() {
        String room = freshRoom();
        Participant alice = join(relay, room, "alice", "Alice A.", true, "");
        assertThat(alice.snapshot().getRoom()).isEqualTo(room);
        assertThat(alice.snapshot().getMaxMembers()).isEqualTo(8);
        assertThat(participants(alice.snapshot())).containsExactly("alice");
        RoomMember self = alice.snapshot().getMembers(0);
        assertThat(self.getStream()).isEqualTo(room + ".alice");
        assertThat(self.getDisplayName()).isEqualTo("Alice A.");
        assertThat(self.getJoinedMicros()).isPositive();

        Participant bob = join(room, "bob"); // no display name: the others see the participant id
        assertThat(participants(bob.snapshot())).containsExactly("alice", "bob");
        assertThat(member(bob.snapshot(), "bob").getDisplayName()).isEqualTo("bob");
        RoomEvent joined = alice.nextEvent();
        assertThat(joined.getChange()).isEqualTo(RoomChange.ROOM_CHANGE_JOINED);
        assertThat(joined.getParticipant()).isEqualTo("bob");
        assertThat(joined.getMembersList()).isEqualTo(bob.snapshot().getMembersList());
        assertThat(joined.getMembers(0).getJoinedMicros()).isLessThanOrEqualTo(joined.getMembers(1).getJoinedMicros());

        // A publisher that did not ask for events (an agent) is a member all the same, and hears nothing.
        Participant camera = join(relay, room, "camera", "Meeting room", false, "");
        for (Participant p : List.of(alice, bob)) {
            RoomEvent event = p.nextEvent();
            assertThat(event.getChange()).isEqualTo(RoomChange.ROOM_CHANGE_JOINED);
            assertThat(event.getParticipant()).isEqualTo("camera");
            assertThat(participants(event)).containsExactly("alice", "bob", "camera");
            assertThat(member(event, "camera").getDisplayName()).isEqualTo("Meeting room");
        }

        assertThat(bob.client().closeAndAwait().code()).isEqualTo(1000); // a clean close: "left"
        RoomEvent left = alice.nextEvent();
        assertThat(left.getChange()).isEqualTo(RoomChange.ROOM_CHANGE_LEFT);
        assertThat(left.getParticipant()).isEqualTo("bob");
        assertThat(left.getReason()).isEqualTo("left");
        assertThat(participants(left)).containsExactly("alice", "camera");

        camera.assertNothingPending(); // it did not ask: no event about bob
        camera.client().abort(); // vanished without a close frame
        RoomEvent lost = alice.nextEvent();
        assertThat(lost.getChange()).isEqualTo(RoomChange.ROOM_CHANGE_LEFT);
        assertThat(lost.getParticipant()).isEqualTo("camera");
        assertThat(lost.getReason()).isEqualTo("connection lost");
        assertThat(participants(lost)).containsExactly("alice");

        Participant dave = join(room, "dave");
        assertThat(alice.nextEvent().getParticipant()).isEqualTo("dave");
        dave.client().send(Envelope.newBuilder().setEndOfStream(EndOfStream.newBuilder().setReason("hung up")).build());
        assertThat(dave.client().awaitClose().code()).isEqualTo(1000);
        RoomEvent hungUp = alice.nextEvent();
        assertThat(hungUp.getChange()).isEqualTo(RoomChange.ROOM_CHANGE_LEFT);
        assertThat(hungUp.getReason()).isEqualTo("left");
        assertThat(participants(hungUp)).containsExactly("alice");
        alice.assertNothingPending();
        alice.client().close();
    }

    @Test
    void everyMemberHearsEveryChange() {
        String room = freshRoom();
        List<Participant> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Participant p = join(room, "p" + i);
            for (Participant earlier : members) {
                RoomEvent event = earlier.nextEvent();
                assertThat(event.getChange()).isEqualTo(RoomChange.ROOM_CHANGE_JOINED);
                assertThat(event.getParticipant()).isEqualTo("p" + i);
            }
            members.add(p);
        }
        Participant last = join(room, "p4");
        assertThat(participants(last.snapshot())).containsExactly("p0", "p1", "p2", "p3", "p4");
        for (Participant p : members) {
            RoomEvent event = p.nextEvent();
            assertThat(event.getChange()).isEqualTo(RoomChange.ROOM_CHANGE_JOINED);
            assertThat(event.getMembersList()).isEqualTo(last.snapshot().getMembersList());
        }
        members.get(1).client().closeAndAwait();
        for (Participant p : List.of(members.get(0), members.get(2), members.get(3), last)) {
            RoomEvent event = p.nextEvent();
            assertThat(event.getChange()).isEqualTo(RoomChange.ROOM_CHANGE_LEFT);
            assertThat(participants(event)).containsExactly("p0", "p2", "p3", "p4");
        }
        members.forEach(p -> p.client().close());
        last.client().close();
    }

    @Test
    void aStreamOutsideRoomsGetsNoEventsEvenIfItAsks() {
        WsClient cam = WsClient.connect(TestRelays.publishUri(relay, "cam.1.2"));
        cam.send(Messages.publisherHello("Cam", true, ""));
        assertThat(cam.next().envelope().getKindCase()).isEqualTo(Envelope.KindCase.WELCOME);
        new Participant(cam, null).assertNothingPending();
        cam.close();
    }

    @Test
    void publisherStateReachesEveryMemberAsAnUpdateAndNoPlayer() {
        String room = freshRoom();
        Participant alice = join(room, "alice");
        Participant bob = join(room, "bob");
        alice.nextEvent(); // bob joined
        WsClient player = TestRelays.player(relay, room + ".alice");
        alice.client().send(state(true, false, false));
        for (Participant p : List.of(alice, bob)) {
            RoomEvent updated = p.nextEvent();
            assertThat(updated.getChange()).isEqualTo(RoomChange.ROOM_CHANGE_UPDATED);
            assertThat(updated.getParticipant()).isEqualTo("alice");
            assertThat(member(updated, "alice").getAudioMuted()).isTrue();
            assertThat(member(updated, "alice").getVideoMuted()).isFalse();
            assertThat(member(updated, "bob").getAudioMuted()).isFalse();
        }
        // A burst: the last state wins; nothing in between is lost for good.
        alice.client().send(state(true, true, false));
        alice.client().send(state(false, true, true));
        alice.client().send(state(false, false, true));
        RoomMember last;
        do {
            RoomEvent updated = bob.nextEvent();
            assertThat(updated.getChange()).isEqualTo(RoomChange.ROOM_CHANGE_UPDATED);
            last = member(updated, "alice");
        } while (last.getVideoMuted() || last.getAudioMuted() || !last.getScreenShare());
        // The same state again is no change.
        alice.client().send(state(false, false, true));
        bob.assertNothingPending();
        // A newcomer's snapshot shows the kept state.
        Participant carol = join(room, "carol");
        assertThat(member(carol.snapshot(), "alice").getScreenShare()).isTrue();
        // Players never see PublisherState: the next thing the player gets is the config sent after it.
        Envelope config = Messages.audioConfig(AUDIO);
        alice.client().send(config);
        assertThat(player.next().envelope()).isEqualTo(config);
        for (WsClient c : List.of(alice.client(), bob.client(), carol.client(), player)) {
            c.close();
        }
    }

    @Test
    void theNinthPublisherIsRefusedWhileTheRoomGoesOn() {
        String room = freshRoom();
        Participant host = join(room, "host");
        List<Participant> members = new ArrayList<>(List.of(host));
        for (int i = 1; i < 8; i++) {
            members.add(join(relay, room, "p" + i, "", false, "inst-p" + i + "-0000"));
            assertThat(host.nextEvent().getParticipant()).isEqualTo("p" + i);
        }
        double refusedBefore = relay.metrics().refusals(CloseCode.CLOSE_CODE_ROOM_FULL);
        WsClient ninth = WsClient.connect(TestRelays.publishUri(relay, room + ".p8"));
        ninth.send(Messages.publisherHello("", true, ""));
        RefusalTest.assertRefused(ninth, CloseCode.CLOSE_CODE_ROOM_FULL);
        assertThat(relay.metrics().refusals(CloseCode.CLOSE_CODE_ROOM_FULL)).isEqualTo(refusedBefore + 1);
        host.assertNothingPending(); // the refused one never was a member

        // A member reconnecting with its instance id is no new member: admitted in a full room.
        Participant back = join(relay, room, "p3", "", false, "inst-p3-0000");
        assertThat(members.get(3).client().awaitClose().code()).isEqualTo(CloseCode.CLOSE_CODE_TAKEN_OVER.getNumber());
        members.set(3, back);
        host.assertNothingPending();

        // One leaves: there is room again.
        members.get(5).client().closeAndAwait();
        assertThat(host.nextEvent().getChange()).isEqualTo(RoomChange.ROOM_CHANGE_LEFT);
        Participant late = join(room, "p8");
        assertThat(late.snapshot().getMembersCount()).isEqualTo(8);
        assertThat(host.nextEvent().getParticipant()).isEqualTo("p8");
        members.forEach(p -> p.client().close());
        late.client().close();
    }

    @Test
    void theRoomSizeIsConfigurableAndCounted() {
        try (Relay small = Relay.start(TestRelays.config().maxRoomSize(2).build())) {
            Participant a = join(small, "duo", "a", "", true, "");
            Participant b = join(small, "duo", "b", "", true, "");
            assertThat(b.snapshot().getMaxMembers()).isEqualTo(2);
            assertThat(small.metrics().rooms()).isEqualTo(1);
            assertThat(small.metrics().roomMembers()).isEqualTo(2);
            WsClient third = WsClient.connect(TestRelays.publishUri(small, "duo.c"));
            third.send(Messages.publisherHello("", true, ""));
            RefusalTest.assertRefused(third, CloseCode.CLOSE_CODE_ROOM_FULL);
            Participant other = join(small, "trio", "c", "", false, ""); // another room is not full
            String scrape = TestRelays.get(small, "/metrics").body();
            assertThat(scrape).contains("tunnelcast_rooms 2.0", "tunnelcast_room_members 3.0",
                    "tunnelcast_refusals_total{code=\"4430\",name=\"room_full\"} 1.0",
                    "tunnelcast_room_events_total{change=\"snapshot\"} 2.0",
                    "tunnelcast_room_events_total{change=\"joined\"} 1.0");
            a.client().closeAndAwait();
            b.nextEvent();
            b.client().closeAndAwait();
            other.client().closeAndAwait();
            assertThat(small.metrics().roomMembers()).isZero();
            assertThat(small.metrics().rooms()).isZero();
        }
    }

    @Test
    void anotherInstanceIsRefusedWhileTheFirstKeepsPublishing() {
        String room = freshRoom();
        String stream = room + ".alice";
        Participant alice = join(relay, room, "alice", "", true, "tab-aaaaaaaa");
        WsClient player = TestRelays.player(relay, stream);
        for (String otherInstance : new String[] {"tab-bbbbbbbb", ""}) {
            WsClient second = WsClient.connect(TestRelays.publishUri(relay, stream));
            second.send(Messages.publisherHello("", true, otherInstance));
            RefusalTest.assertRefused(second, CloseCode.CLOSE_CODE_PUBLISHER_EXISTS);
        }
        Envelope config = Messages.audioConfig(AUDIO);
        alice.client().send(config);
        assertThat(player.next().envelope()).isEqualTo(config);
        alice.assertNothingPending();
        alice.client().close();
        player.close();
    }

    @Test
    void theSameInstanceTakesItsStreamOverWithoutLeavingTheRoom() {
        String room = freshRoom();
        Participant bob = join(room, "bob");
        Participant stale = join(relay, room, "alice", "Alice", true, "tab-12345678");
        assertThat(bob.nextEvent().getChange()).isEqualTo(RoomChange.ROOM_CHANGE_JOINED);
        stale.client().send(state(true, false, false));
        assertThat(bob.nextEvent().getChange()).isEqualTo(RoomChange.ROOM_CHANGE_UPDATED);
        stale.nextEvent();
        WsClient player = TestRelays.player(relay, room + ".alice");

        Participant fresh = join(relay, room, "alice", "Alice", true, "tab-12345678"); // takeover off: still admitted
        assertThat(stale.client().awaitClose().code()).isEqualTo(CloseCode.CLOSE_CODE_TAKEN_OVER.getNumber());
        assertThat(participants(fresh.snapshot())).containsExactly("bob", "alice");
        assertThat(member(fresh.snapshot(), "alice").getAudioMuted()).as("the state is kept").isTrue();
        bob.assertNothingPending(); // same member, same name: no leave, no join, no update
        // The player rides it like a returning publisher, without OFFLINE.
        assertThat(player.next().envelope().getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_STREAM_ONLINE);

        // A new display name on the same instance is an update.
        Participant renamed = join(relay, room, "alice", "Alice (phone)", true, "tab-12345678");
        RoomEvent updated = bob.nextEvent();
        assertThat(updated.getChange()).isEqualTo(RoomChange.ROOM_CHANGE_UPDATED);
        assertThat(updated.getParticipant()).isEqualTo("alice");
        assertThat(member(updated, "alice").getDisplayName()).isEqualTo("Alice (phone)");
        assertThat(member(updated, "alice").getJoinedMicros()).isEqualTo(member(fresh.snapshot(), "alice").getJoinedMicros());
        assertThat(fresh.client().awaitClose().code()).isEqualTo(CloseCode.CLOSE_CODE_TAKEN_OVER.getNumber());
        bob.assertNothingPending(); // the stale connections' closes are no leave either
        renamed.client().closeAndAwait();
        assertThat(bob.nextEvent().getReason()).isEqualTo("left");
        bob.client().close();
        player.close();
    }

    @Test
    void theSameInstanceTakesOverAStreamOutsideRoomsToo() {
        WsClient first = WsClient.connect(TestRelays.publishUri(relay, "agent-cam"));
        first.send(Messages.publisherHello("", false, "agent-0123456789"));
        assertThat(first.next().envelope().getKindCase()).isEqualTo(Envelope.KindCase.WELCOME);
        WsClient second = WsClient.connect(TestRelays.publishUri(relay, "agent-cam"));
        second.send(Messages.publisherHello("", false, "agent-0123456789"));
        assertThat(second.next().envelope().getKindCase()).isEqualTo(Envelope.KindCase.WELCOME);
        RefusalTest.assertRefused(first, CloseCode.CLOSE_CODE_TAKEN_OVER);
        second.close();
    }

    @Test
    void helloFieldsThatBreakTheirRulesAreRefused() {
        String room = freshRoom();
        Participant watcher = join(room, "watcher");
        String[][] bad = {
            {"x".repeat(65), ""},
            {"Alice\nBob", ""},
            {"tab\u0007", ""},
            {"line\u2028break", ""},
            {"", "short"},
            {"", "has space 123"},
            {"", "y".repeat(65)},
        };
        for (String[] hello : bad) {
            WsClient client = WsClient.connect(TestRelays.publishUri(relay, room + ".bad"));
            client.send(Messages.publisherHello(hello[0], true, hello[1]));
            RefusalTest.assertRefused(client, CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION);
        }
        watcher.assertNothingPending();
        // 64 characters, one of them outside the BMP (two UTF-16 units), and a ZWJ emoji sequence are fine.
        String longest = "\uD83D\uDE00" + "é".repeat(58) + "\uD83D\uDC69\u200D\uD83D\uDCBB";
        assertThat(longest.codePointCount(0, longest.length())).isEqualTo(62);
        Participant ok = join(relay, room, "ok", longest + "ab", true, "A_b-" + "9".repeat(60));
        assertThat(member(ok.snapshot(), "ok").getDisplayName()).isEqualTo(longest + "ab");
        watcher.nextEvent();
        ok.client().close();
        watcher.client().close();
    }

    /**
     * Members vanishing together: each leave is announced to members whose sockets are already
     * dead. The relay once wrote those events inline, under the room's lock, and a failed write
     * closed the next member's connection from inside the broadcast (reentrant leave).
     */
    @Test
    void aRoomWhoseMembersAllVanishAtOnceEndsEmpty() {
        try (Relay own = Relay.start(TestRelays.config().build())) {
            for (int round = 0; round < 5; round++) {
                List<Participant> members = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    members.add(join(own, "crowd", "p" + i, "", true, ""));
                }
                List<WsClient> players = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    players.add(TestRelays.player(own, "crowd.p" + i));
                }
                members.forEach(p -> p.client().abort());
                for (WsClient player : players) {
                    Envelope offline = player.nextOf(Envelope.KindCase.STATUS);
                    assertThat(offline.getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_STREAM_OFFLINE);
                    player.close();
                }
                assertThat(own.metrics().roomMembers()).as("round %d", round).isZero();
                assertThat(own.metrics().rooms()).isZero();
                assertThat(own.metrics().refusals(CloseCode.CLOSE_CODE_INTERNAL_ERROR)).isZero();
            }
            Participant newcomer = join(own, "crowd", "p0", "", true, "");
            assertThat(participants(newcomer.snapshot())).containsExactly("p0");
            newcomer.client().close();
        }
    }

    @Test
    void aPlayerMayNotSendPublisherState() {
        WsClient player = TestRelays.player(relay, freshRoom() + ".alice");
        player.send(state(true, true, true));
        RefusalTest.assertRefused(player, CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION);
    }

    static Envelope state(boolean audioMuted, boolean videoMuted, boolean screenShare) {
        return Envelope.newBuilder().setPublisherState(PublisherState.newBuilder().setAudioMuted(audioMuted)
                .setVideoMuted(videoMuted).setScreenShare(screenShare)).build();
    }
}
