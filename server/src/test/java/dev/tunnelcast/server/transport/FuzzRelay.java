package dev.tunnelcast.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.StatusCode;
import dev.tunnelcast.server.Relay;
import dev.tunnelcast.server.RelayConfig;
import dev.tunnelcast.server.metrics.RelayMetrics;
import dev.tunnelcast.server.relay.RelayContext;
import dev.tunnelcast.server.relay.StreamRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The relay below its sockets, for fuzz tests: a fresh stream registry with the default
 * configuration, and clients whose messages go through the same listener a WebSocket
 * delivers to. Timers (grace period) never fire, so one input plays out deterministically.
 */
final class FuzzRelay {

    static final String STREAM = "fuzz";
    private static final RelayMetrics METRICS = new RelayMetrics();
    private static final RelayConfig CONFIG = RelayConfig.builder().build();

    private final StreamRegistry registry = new StreamRegistry(new RelayContext(Relay.policy(CONFIG), CONFIG.clock(), METRICS,
            new CopyOnWriteArrayList<>(), new NeverFiringScheduler()));

    Client publisher() {
        FakeSocket socket = new FakeSocket();
        Connection connection = socket.connect(RelayMetrics.Role.PUBLISHER, STREAM, METRICS);
        return new Client(socket, connection,
                new PublisherListener(connection, CONFIG.clock(), CONFIG.maxMessageBytes(), registry, METRICS));
    }

    Client player() {
        FakeSocket socket = new FakeSocket();
        Connection connection = socket.connect(RelayMetrics.Role.PLAYER, STREAM, METRICS);
        return new Client(socket, connection,
                new PlayerListener(connection, CONFIG.clock(), CONFIG.maxMessageBytes(), registry));
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
            int code = socket.closeCode();
            if (code < 0) {
                return;
            }
            CloseCode closeCode = CloseCode.forNumber(code);
            assertThat(closeCode).as("close code %d is documented", code).isNotNull();
            assertThat(closeCode).as("close code").isNotEqualTo(CloseCode.CLOSE_CODE_INTERNAL_ERROR);
            if (closeCode != CloseCode.CLOSE_CODE_NORMAL && closeCode != CloseCode.CLOSE_CODE_STREAM_ENDED) {
                List<Envelope> received = socket.received();
                Envelope last = received.get(received.size() - 1);
                assertThat(last.getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_REFUSED);
                assertThat(last.getStatus().getCloseCode()).isEqualTo(code);
            }
        }
    }

    /**
     * A message every conforming protobuf parser reads the same way: the canonical encoding
     * of what it parses to (no over-long varints, no repeated or out-of-order fields).
     */
    static void assertCanonical(byte[] bytes) throws Exception {
        byte[] canonical = Envelope.parseFrom(bytes).toByteArray();
        assertThat(Arrays.equals(bytes, canonical))
                .as("forwarded bytes are the canonical encoding of %s", Envelope.parseFrom(bytes))
                .isTrue();
    }
}
