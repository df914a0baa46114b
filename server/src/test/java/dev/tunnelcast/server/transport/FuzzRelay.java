package dev.tunnelcast.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.EndOfStream;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Hello;
import dev.tunnelcast.proto.v1.KeyframeRequest;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.Ping;
import dev.tunnelcast.proto.v1.Pong;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.proto.v1.StatusCode;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.TrackKind;
import dev.tunnelcast.server.Relay;
import dev.tunnelcast.server.RelayConfig;
import dev.tunnelcast.server.metrics.RelayMetrics;
import dev.tunnelcast.server.relay.LayerRequest;
import dev.tunnelcast.server.relay.RelayContext;
import dev.tunnelcast.server.relay.RelayPolicy;
import dev.tunnelcast.server.relay.StreamRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The relay below its sockets, for fuzz tests: a fresh stream registry with the default
 * configuration (or a given one), and clients whose messages go through the same listener a WebSocket
 * delivers to. Timers (grace period) never fire, so one input plays out deterministically.
 */
final class FuzzRelay {

    static final String STREAM = "fuzz";
    private static final RelayMetrics METRICS = new RelayMetrics();
    private static final RelayConfig CONFIG = RelayConfig.builder().build();

    private final StreamRegistry registry;

    FuzzRelay() {
        this(CONFIG);
    }

    /** A relay with {@code config}'s policy (its limits, queue bounds, write merge); clients use the default message bound. */
    FuzzRelay(RelayConfig config) {
        RelayPolicy policy = Relay.policy(config);
        registry = new StreamRegistry(new RelayContext(policy, config.clock(), METRICS,
                new CopyOnWriteArrayList<>(), new NeverFiringScheduler()));
    }

    /**
     * One conversation with every message kind, a late player, a refusal and an end of stream,
     * checked as the fuzz tests check theirs, to be run before fuzzing starts: it loads (and,
     * under Jazzer, instruments) the classes an input uses, protobuf's descriptors among them.
     * Otherwise the first input pays for that, many seconds on a busy machine, and libFuzzer's
     * per-input timeout counts it as a hang.
     */
    static void warmUp() {
        FuzzRelay relay = new FuzzRelay();
        Client live = relay.player();
        live.send(hello(Role.ROLE_PLAYER));
        Client publisher = relay.publisher();
        publisher.send(hello(Role.ROLE_PUBLISHER));
        publisher.send(Envelope.newBuilder().setTrackConfig(TrackConfig.newBuilder().setTrackId(1)
                .setKind(TrackKind.TRACK_KIND_VIDEO).setCodec("avc1.42E01F").setWidth(320).setHeight(240)).build());
        publisher.send(Envelope.newBuilder().setTrackConfig(TrackConfig.newBuilder().setTrackId(2)
                .setKind(TrackKind.TRACK_KIND_AUDIO).setCodec("opus").setSampleRate(48_000).setChannels(2)).build());
        for (int i = 1; i <= 3; i++) {
            publisher.send(Envelope.newBuilder().setMediaPacket(MediaPacket.newBuilder().setTrackId(1).setSequence(i)
                    .setKeyframe(i == 1).setPayload(ByteString.copyFromUtf8("frame"))).build());
            publisher.send(Envelope.newBuilder().setMediaPacket(MediaPacket.newBuilder().setTrackId(2).setSequence(i)
                    .setPayload(ByteString.copyFromUtf8("audio"))).build());
        }
        publisher.send(Envelope.newBuilder().setPing(Ping.newBuilder().setId(1)).build());
        publisher.send(Envelope.newBuilder().setPong(Pong.newBuilder().setId(1)).build());
        Client late = relay.player();
        late.send(hello(Role.ROLE_PLAYER));
        late.send(Envelope.newBuilder().setPing(Ping.newBuilder().setId(2)).build());
        late.send(Envelope.newBuilder().setKeyframeRequest(KeyframeRequest.newBuilder()).build()); // refused
        publisher.send(Envelope.newBuilder().setEndOfStream(EndOfStream.newBuilder().setReason("done")).build());
        Client stranger = relay.publisher();
        stranger.send(FuzzedEnvelopes.overlongFirstLength(hello(Role.ROLE_PUBLISHER).toByteArray(), 3)); // refused
        for (Client client : List.of(live, publisher, late, stranger)) {
            client.assertWellTreated();
            client.assertReceivedCanonical();
            client.close();
        }
        assertThat(late.socket().closeCode()).as("warm-up refusal").isEqualTo(CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION_VALUE);
        assertThat(live.socket().received()).as("warm-up stream").anyMatch(Envelope::hasMediaPacket)
                .allMatch(e -> !e.hasPong());
    }

    private static Envelope hello(Role role) {
        return Envelope.newBuilder().setHello(Hello.newBuilder().setRole(role)
                .setProtocolVersion(ClientListener.PROTOCOL_VERSION)).build();
    }

    Client publisher() {
        FakeSocket socket = new FakeSocket();
        Connection connection = socket.connect(RelayMetrics.Role.PUBLISHER, STREAM, METRICS);
        return new Client(socket, connection,
                new PublisherListener(connection, CONFIG.clock(), CONFIG.maxMessageBytes(), registry, METRICS));
    }

    Client player() {
        return player(new FakeSocket());
    }

    /** A player on {@code socket} (e.g. one whose I/O thread counts its tasks). */
    Client player(FakeSocket socket) {
        Connection connection = socket.connect(RelayMetrics.Role.PLAYER, STREAM, METRICS);
        return new Client(socket, connection,
                new PlayerListener(connection, CONFIG.clock(), CONFIG.maxMessageBytes(), registry, LayerRequest.AUTO));
    }

    /** One client: its socket and the listener its messages go to. */
    record Client(FakeSocket socket, Connection connection, ClientListener listener) {

        /** One whole binary message from the client; nothing may escape the relay's handler. */
        void send(byte[] message) {
            listener.deliver(message);
        }

        void send(Envelope envelope) {
            send(envelope.toByteArray());
        }

        /** The socket closed: what the endpoint's close task does. */
        void close() {
            listener.closed(connection.closeReason());
        }

        /**
         * What every client may rely on: the relay closed it, if at all, with a documented code
         * other than 4500 (an exception in the relay), after a {@code Status} that names the
         * code when it refused.
         */
        void assertWellTreated() {
            // plain checks, not AssertJ: they run for every client of every input
            int code = socket.closeCode();
            if (code < 0) {
                return;
            }
            CloseCode closeCode = CloseCode.forNumber(code);
            if (closeCode == null) {
                throw new AssertionError("close code " + code + " is not documented");
            }
            if (closeCode == CloseCode.CLOSE_CODE_INTERNAL_ERROR) {
                throw new AssertionError("closed with " + closeCode + ": an exception in the relay");
            }
            if (closeCode != CloseCode.CLOSE_CODE_NORMAL && closeCode != CloseCode.CLOSE_CODE_STREAM_ENDED) {
                List<Envelope> received = socket.received();
                Envelope last = received.isEmpty() ? Envelope.getDefaultInstance() : received.get(received.size() - 1);
                if (last.getStatus().getCode() != StatusCode.STATUS_CODE_REFUSED || last.getStatus().getCloseCode() != code) {
                    throw new AssertionError("closed with " + code + " after " + last + ", not after a Status REFUSED naming it");
                }
            }
        }

        /**
         * Every message the client got is one that every conforming protobuf parser reads the
         * same way: the canonical encoding of what it parses to (no over-long varints, no
         * repeated or out-of-order fields).
         */
        void assertReceivedCanonical() {
            List<Envelope> received = socket.received();
            List<byte[]> sent = socket.sentBytes();
            for (int i = 0; i < sent.size(); i++) { // a plain check: it runs for every message of every input
                Envelope parsed = received.get(i);
                if (!Arrays.equals(sent.get(i), parsed.toByteArray())) {
                    throw new AssertionError("forwarded bytes are not the canonical encoding of " + parsed);
                }
            }
        }
    }
}
