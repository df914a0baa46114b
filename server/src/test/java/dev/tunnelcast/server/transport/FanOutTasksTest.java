package dev.tunnelcast.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Hello;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.TrackKind;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A fan-out hands each I/O thread one task for all of its players that need their send pump
 * started, not one task per player: with three players on one thread and one on another, a
 * packet costs two tasks, and every player still gets it.
 */
class FanOutTasksTest {

    /** An I/O thread that runs its tasks at once and counts them. */
    private static final class CountingThread implements Executor {
        final AtomicInteger tasks = new AtomicInteger();

        @Override
        public void execute(Runnable task) {
            tasks.incrementAndGet();
            task.run();
        }
    }

    @Test
    void onePumpTaskPerIoThreadPerMessage() {
        FuzzRelay relay = new FuzzRelay();
        CountingThread first = new CountingThread();
        CountingThread second = new CountingThread();
        List<FuzzRelay.Client> players = List.of(relay.player(new FakeSocket(first)), relay.player(new FakeSocket(first)),
                relay.player(new FakeSocket(first)), relay.player(new FakeSocket(second)));
        players.forEach(p -> p.send(hello(Role.ROLE_PLAYER)));
        FuzzRelay.Client publisher = relay.publisher();
        publisher.send(hello(Role.ROLE_PUBLISHER));
        publisher.send(Envelope.newBuilder().setTrackConfig(TrackConfig.newBuilder().setTrackId(1)
                .setKind(TrackKind.TRACK_KIND_VIDEO).setCodec("avc1.42E01F").setWidth(320).setHeight(240)).build());
        first.tasks.set(0);
        second.tasks.set(0);

        publisher.send(Envelope.newBuilder().setMediaPacket(MediaPacket.newBuilder().setTrackId(1).setSequence(1)
                .setKeyframe(true).setPayload(ByteString.copyFromUtf8("frame"))).build());

        assertThat(first.tasks.get()).as("tasks on the thread of three players").isEqualTo(1);
        assertThat(second.tasks.get()).as("tasks on the thread of one player").isEqualTo(1);
        for (FuzzRelay.Client player : players) {
            assertThat(player.socket().received()).as("every player got the packet").anyMatch(Envelope::hasMediaPacket);
        }
    }

    private static Envelope hello(Role role) {
        return Envelope.newBuilder().setHello(Hello.newBuilder().setRole(role)
                .setProtocolVersion(ClientListener.PROTOCOL_VERSION)).build();
    }
}
