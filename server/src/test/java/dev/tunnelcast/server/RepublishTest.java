package dev.tunnelcast.server;

import static dev.tunnelcast.server.testing.Messages.VIDEO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.WsClient;
import dev.tunnelcast.proto.v1.CloseCode;
import java.net.URI;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client's slot is free once its close has completed: a client that has seen the close
 * (the relay's close frame, or its answer to ours) may publish the same stream again at once
 * and is admitted, never refused with 4409. The next connection is opened beforehand, so
 * that only its Hello follows the close; each cycle is a race the relay used to lose a few
 * percent of the time, so each test runs many.
 */
class RepublishTest {

    private static final int CYCLES = 50;
    static Relay relay;

    @BeforeAll
    static void start() {
        relay = Relay.start(TestRelays.config().build());
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void afterANormalClose() {
        cycles(TestRelays.publishUri(relay, "normal"), Role.ROLE_PUBLISHER, current -> current.closeAndAwait().code(),
                CloseCode.CLOSE_CODE_NORMAL);
    }

    @Test
    void afterARefusal() {
        cycles(TestRelays.publishUri(relay, "refused"), Role.ROLE_PUBLISHER, current -> {
            current.send(Messages.packet(VIDEO, 0, true, 10)); // no TrackConfig first: 4422
            return current.awaitClose().code();
        }, CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION);
    }

    @Test
    void playerSlotsToo() {
        try (Relay onePlayer = Relay.start(TestRelays.config().maxPlayers(1).build())) {
            cycles(TestRelays.playUri(onePlayer, "watched"), Role.ROLE_PLAYER, current -> current.closeAndAwait().code(),
                    CloseCode.CLOSE_CODE_NORMAL);
        }
    }

    private static void cycles(URI uri, Role role, Function<WsClient, Integer> end, CloseCode expected) {
        WsClient current = admitted(WsClient.connect(uri), role, -1);
        for (int i = 0; i < CYCLES; i++) {
            WsClient next = WsClient.connect(uri);
            assertThat(end.apply(current)).as("close code, cycle " + i).isEqualTo(expected.getNumber());
            current = admitted(next, role, i);
        }
        current.close();
    }

    private static WsClient admitted(WsClient client, Role role, int cycle) {
        client.send(Messages.hello(role));
        Envelope answer = client.next().envelope();
        assertThat(answer.getKindCase()).as("answer to Hello in cycle " + cycle + ": " + answer)
                .isEqualTo(Envelope.KindCase.WELCOME);
        return client;
    }
}
