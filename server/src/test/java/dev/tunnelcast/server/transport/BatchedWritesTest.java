package dev.tunnelcast.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Hello;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.TrackKind;
import dev.tunnelcast.server.RelayConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * What piled up for a player while its I/O thread was busy goes out in one gathering write,
 * in order: hundreds of small audio packets (far more than the batch arrays' first length, which
 * then grow) are one write, not hundreds. With {@code --player-write-merge}, an idle player's
 * pump waits that long, so a burst that arrives meanwhile is one write; without, each packet
 * that finds the player idle is written at once.
 */
class BatchedWritesTest {

    /** An I/O thread that is busy until the test lets its tasks run. */
    private static final class BusyThread implements Executor {
        final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            for (Runnable task; (task = tasks.poll()) != null; ) {
                task.run();
            }
        }
    }

    @Test
    void hundredsOfQueuedPacketsGoOutInOneWriteInOrder() {
        FuzzRelay relay = new FuzzRelay();
        BusyThread busy = new BusyThread();
        FakeSocket socket = new FakeSocket(busy);
        FuzzRelay.Client player = relay.player(socket);
        player.send(hello(Role.ROLE_PLAYER));
        FuzzRelay.Client publisher = relay.publisher();
        publisher.send(hello(Role.ROLE_PUBLISHER));
        publisher.send(Envelope.newBuilder().setTrackConfig(TrackConfig.newBuilder().setTrackId(2)
                .setKind(TrackKind.TRACK_KIND_AUDIO).setCodec("opus").setSampleRate(48_000).setChannels(1)).build());
        busy.runAll();
        int writesBefore = socket.gatheredWriteSizes().size();
        int messagesBefore = socket.received().size();

        int packets = 300;
        for (int i = 1; i <= packets; i++) {
            publisher.send(Envelope.newBuilder().setMediaPacket(MediaPacket.newBuilder().setTrackId(2).setSequence(i)
                    .setPtsMicros(i * 20_000L).setPayload(ByteString.copyFrom(new byte[20]))).build());
        }
        assertThat(socket.received()).as("nothing is written while the I/O thread is busy").hasSize(messagesBefore);
        busy.runAll();

        List<Integer> writes = socket.gatheredWriteSizes().subList(writesBefore, socket.gatheredWriteSizes().size());
        assertThat(writes).as("gathering writes once the thread is free").containsExactly(packets);
        List<Envelope> received = socket.received().subList(messagesBefore, socket.received().size());
        assertThat(received).extracting(e -> e.getMediaPacket().getSequence())
                .as("the packets, in order").containsExactlyElementsOf(
                        LongStream.rangeClosed(1, packets).boxed().toList());
    }

    @Test
    void withAWriteMergeAnIdlePlayersPumpWaitsAndTheBurstIsOneWrite() {
        FakeSocket socket = new FakeSocket();
        Burst burst = Burst.to(new FuzzRelay(RelayConfig.builder().playerWriteMerge(Duration.ofMillis(20)).build()), socket);
        socket.runDelayed(); // the config's merge

        burst.send(10);
        assertThat(socket.received()).as("nothing is written before the merge").hasSize(burst.messagesBefore);
        assertThat(socket.delayed()).as("one pump start, after the merge, for the whole burst")
                .extracting(FakeSocket.Delayed::delayMillis).containsExactly(20L);
        socket.runDelayed();

        assertThat(burst.writes()).as("gathering writes once the merge has passed").containsExactly(10);
        assertThat(burst.sequences()).as("the packets, in order").containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
    }

    @Test
    void withoutAWriteMergeEachPacketThatFindsThePlayerIdleIsWrittenAtOnce() {
        FakeSocket socket = new FakeSocket();
        Burst burst = Burst.to(new FuzzRelay(), socket);

        burst.send(10);

        assertThat(socket.delayed()).as("no pump waits").isEmpty();
        assertThat(burst.writes()).as("one write per packet").containsExactly(1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        assertThat(burst.sequences()).as("the packets, in order").containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
    }

    /** A player on {@code socket} and a publisher with an audio track; then bursts of packets, and what the player got of them. */
    private record Burst(FakeSocket socket, FuzzRelay.Client publisher, int writesBefore, int messagesBefore) {
        static Burst to(FuzzRelay relay, FakeSocket socket) {
            relay.player(socket).send(hello(Role.ROLE_PLAYER));
            FuzzRelay.Client publisher = relay.publisher();
            publisher.send(hello(Role.ROLE_PUBLISHER));
            publisher.send(Envelope.newBuilder().setTrackConfig(TrackConfig.newBuilder().setTrackId(2)
                    .setKind(TrackKind.TRACK_KIND_AUDIO).setCodec("opus").setSampleRate(48_000).setChannels(1)).build());
            socket.runDelayed();
            return new Burst(socket, publisher, socket.gatheredWriteSizes().size(), socket.received().size());
        }

        void send(int packets) {
            for (int i = 1; i <= packets; i++) {
                publisher.send(Envelope.newBuilder().setMediaPacket(MediaPacket.newBuilder().setTrackId(2).setSequence(i)
                        .setPtsMicros(i * 20_000L).setPayload(ByteString.copyFrom(new byte[20]))).build());
            }
        }

        List<Integer> writes() {
            return socket.gatheredWriteSizes().subList(writesBefore, socket.gatheredWriteSizes().size());
        }

        List<Long> sequences() {
            return socket.received().subList(messagesBefore, socket.received().size()).stream()
                    .map(e -> e.getMediaPacket().getSequence()).toList();
        }
    }

    private static Envelope hello(Role role) {
        return Envelope.newBuilder().setHello(Hello.newBuilder().setRole(role)
                .setProtocolVersion(ClientListener.PROTOCOL_VERSION)).build();
    }
}
