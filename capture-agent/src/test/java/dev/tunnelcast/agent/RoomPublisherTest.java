package dev.tunnelcast.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tunnelcast.agent.clock.ClockOffsetEstimator;
import dev.tunnelcast.agent.clock.LocalClock;
import dev.tunnelcast.agent.publish.FatalPublishException;
import dev.tunnelcast.agent.publish.Publisher;
import dev.tunnelcast.agent.publish.PublisherConfig;
import dev.tunnelcast.agent.testing.FakeRelay;
import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.proto.v1.RoomChange;
import dev.tunnelcast.proto.v1.RoomEvent;
import dev.tunnelcast.proto.v1.RoomMember;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The agent in a room, as a relay sees it (a {@link FakeRelay} on a real WebSocket): the stream
 * path {@code /ws/publish/R.P} with the join token; a Hello with the display name, no room
 * events and one random instance id for all of the process's connections; a full room (4430)
 * retried with backoff and said once at WARN, never fatal; a RoomEvent it did not ask for
 * logged at DEBUG and ignored.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RoomPublisherTest {

    private static final String INSTANCE_ID = "[A-Za-z0-9_-]{8,64}";

    private final Logger publisherLog = (Logger) LoggerFactory.getLogger(Publisher.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final List<FatalPublishException> fatal = new CopyOnWriteArrayList<>();
    private Level levelBefore;

    @BeforeEach
    void captureTheLog() {
        levelBefore = publisherLog.getLevel();
        publisherLog.setLevel(Level.DEBUG);
        logged.start();
        publisherLog.addAppender(logged);
    }

    @AfterEach
    void restoreTheLog() {
        publisherLog.detachAppender(logged);
        publisherLog.setLevel(levelBefore);
    }

    private Publisher publisher(FakeRelay relay) {
        AgentMain main = new AgentMain();
        new picocli.CommandLine(main).parseArgs("--relay", "ws://127.0.0.1:" + relay.port(), "--room", "weekly",
                "--participant", "room-4b", "--display-name", "Meeting room 4B", "--token", "v1:join:weekly.room-4b:9.sig");
        PublisherConfig config = main.buildConfig().publisher();
        return new Publisher(config, LocalClock.system(), new ClockOffsetEstimator(10_000_000), new Publisher.Listener() {
            @Override
            public void onKeyframeNeeded(String why) {}

            @Override
            public void onVideoDropped() {}

            @Override
            public void onFatal(FatalPublishException error) {
                fatal.add(error);
            }
        });
    }

    private static FakeRelay relay(IntFunction<CloseCode> refusal, Envelope... afterWelcome) {
        return new FakeRelay(refusal, List.of(afterWelcome));
    }

    @Test
    void helloCarriesTheDisplayNameNoRoomEventsAndOneInstanceIdAcrossReconnects() throws Exception {
        try (FakeRelay relay = relay(n -> null); Publisher publisher = publisher(relay)) {
            publisher.start();
            await(publisher::connected, "connected");

            FakeRelay.Connection first = relay.connections().get(0);
            assertThat(first.path()).isEqualTo("/ws/publish/weekly.room-4b");
            assertThat(first.query()).isEqualTo("token=v1%3Ajoin%3Aweekly.room-4b%3A9.sig");
            assertThat(first.hello().getRole()).isEqualTo(Role.ROLE_PUBLISHER);
            assertThat(first.hello().getDisplayName()).isEqualTo("Meeting room 4B");
            assertThat(first.hello().getRoomEvents()).isFalse();
            assertThat(first.hello().getInstanceId()).matches(INSTANCE_ID).isEqualTo(publisher.instanceId());

            relay.cut(0); // the network dies: the publisher comes back with the same instance id
            await(() -> relay.connections().size() == 2 && publisher.connected(), "reconnected");
            assertThat(relay.connections().get(1).hello().getInstanceId()).isEqualTo(first.hello().getInstanceId());
            assertThat(relay.connections().get(1).path()).isEqualTo(first.path());

            try (Publisher otherProcess = publisher(relay)) {
                assertThat(otherProcess.instanceId()).as("another agent").matches(INSTANCE_ID)
                        .isNotEqualTo(publisher.instanceId());
            }
        }
        assertThat(fatal).isEmpty();
    }

    @Test
    void aFullRoomIsRetriedWithBackoffAndSaidOnceNotFatal() throws Exception {
        try (FakeRelay relay = relay(n -> n < 3 ? CloseCode.CLOSE_CODE_ROOM_FULL : null);
             Publisher publisher = publisher(relay)) {
            publisher.start();
            await(() -> relay.connections().size() == 4 && publisher.connected(), "in after three refusals");
            assertThat(fatal).as("a full room is not fatal").isEmpty();
        }
        List<String> warnings = logged.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).as("said once, not once per retry").hasSize(1);
        assertThat(warnings.get(0)).startsWith("Room full: the relay refused weekly.room-4b")
                .contains("4430 room is full").contains("retrying with backoff");
    }

    @Test
    void aRoomEventItDidNotAskForIsLoggedAtDebugAndIgnored() throws Exception {
        Envelope event = Envelope.newBuilder().setRoomEvent(RoomEvent.newBuilder().setRoom("weekly")
                .setChange(RoomChange.ROOM_CHANGE_SNAPSHOT).setMaxMembers(8)
                .addMembers(RoomMember.newBuilder().setParticipant("room-4b"))).build();
        try (FakeRelay relay = relay(n -> null, event); Publisher publisher = publisher(relay)) {
            publisher.start();
            await(() -> logged.list.stream().anyMatch(e -> e.getLevel() == Level.DEBUG
                    && e.getFormattedMessage().contains("ignoring a RoomEvent (ROOM_CHANGE_SNAPSHOT)")), "the RoomEvent logged");
            // it goes on publishing on the same connection: pings keep coming after the event
            int pings = relay.connections().get(0).pings().get();
            await(() -> relay.connections().get(0).pings().get() > pings && publisher.connected(), "still live");
            assertThat(relay.connections()).hasSize(1);
            assertThat(publisher.lastError()).isEmpty();
        }
        assertThat(fatal).isEmpty();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
