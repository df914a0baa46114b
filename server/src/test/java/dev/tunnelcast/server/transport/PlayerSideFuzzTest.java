package dev.tunnelcast.server.transport;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Hello;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.TrackKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;

/**
 * A player's messages, in any order and shape, while a well-behaved publisher streams and
 * another player watches (below the socket: see {@link FuzzRelay}). Invariants: the relay
 * never throws and never closes with 4500; every refusal is documented; every Ping it accepts
 * is answered with a Pong of the same id; nothing a player sends reaches the publisher or
 * another player, and neither of them is closed because of it.
 *
 * <p>{@code mvn test} replays the inputs under
 * {@code src/test/resources/dev/tunnelcast/server/transport/PlayerSideFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1} (or {@code bench/run fuzz}) fuzzes.
 */
class PlayerSideFuzzTest {

    private static final int MAX_MESSAGES = 40;
    private static final byte[] PUBLISHER_HELLO = Envelope.newBuilder().setHello(Hello.newBuilder()
            .setRole(Role.ROLE_PUBLISHER).setProtocolVersion(ClientListener.PROTOCOL_VERSION)).build().toByteArray();
    private static final byte[] VIDEO_CONFIG = Envelope.newBuilder().setTrackConfig(TrackConfig.newBuilder().setTrackId(1)
            .setKind(TrackKind.TRACK_KIND_VIDEO).setCodec("avc1.42E01F").setWidth(320).setHeight(240)).build().toByteArray();
    private static final byte[] PLAYER_HELLO = Envelope.newBuilder().setHello(Hello.newBuilder()
            .setRole(Role.ROLE_PLAYER).setProtocolVersion(ClientListener.PROTOCOL_VERSION)).build().toByteArray();
    /** The publisher's packet after each fuzzed message (made once: the relay parses its own copy each time). */
    private static final byte[][] PACKETS = new byte[MAX_MESSAGES][];

    static {
        for (int i = 0; i < MAX_MESSAGES; i++) {
            PACKETS[i] = Envelope.newBuilder().setMediaPacket(MediaPacket.newBuilder().setTrackId(1)
                    .setSequence(i + 1).setKeyframe(i % 5 == 0).setPayload(ByteString.copyFromUtf8("frame"))).build().toByteArray();
        }
    }

    @BeforeAll
    static void warmUp() {
        FuzzRelay.warmUp();
    }

    @FuzzTest(maxDuration = "30s")
    void playerMessages(FuzzedDataProvider data) throws Exception {
        FuzzRelay relay = new FuzzRelay();
        FuzzRelay.Client publisher = relay.publisher();
        publisher.send(PUBLISHER_HELLO);
        publisher.send(VIDEO_CONFIG);
        FuzzRelay.Client watcher = relay.player();
        watcher.send(PLAYER_HELLO);
        FuzzRelay.Client fuzzed = relay.player();
        if (data.consumeBoolean()) {
            fuzzed.send(FuzzedEnvelopes.hello(data, Role.ROLE_PLAYER));
        }
        List<Long> pings = new ArrayList<>();
        for (int i = 0; i < MAX_MESSAGES && data.remainingBytes() > 0; i++) {
            byte[] message = FuzzedEnvelopes.next(data);
            boolean admitted = fuzzed.listener().helloReceived();
            fuzzed.send(message);
            if (admitted && !fuzzed.connection().isClosing()) { // accepted: a Ping among them is answered
                Envelope e = Envelope.parseFrom(message);
                if (e.hasPing()) {
                    pings.add(e.getPing().getId());
                }
            }
            publisher.send(PACKETS[i]);
        }

        for (FuzzRelay.Client client : List.of(publisher, watcher, fuzzed)) {
            client.assertWellTreated();
        }
        // plain checks, not AssertJ (and failure messages made only on failure): they run for every input
        if (publisher.socket().closeCode() != -1 || watcher.socket().closeCode() != -1) {
            throw new AssertionError("closed because of another player: publisher " + publisher.socket().closeCode()
                    + ", other player " + watcher.socket().closeCode());
        }
        for (Envelope e : publisher.socket().received()) {
            if (!(e.hasWelcome() || e.hasPong() || e.hasKeyframeRequest())) {
                throw new AssertionError("the publisher got " + e);
            }
        }
        for (Envelope e : watcher.socket().received()) {
            if (!(e.hasWelcome() || e.hasStatus() || e.hasTrackConfig() || e.hasMediaPacket())) {
                throw new AssertionError("the other player got " + e);
            }
        }
        List<Long> pongs = new ArrayList<>();
        for (Envelope e : fuzzed.socket().received()) {
            if (e.hasPong()) {
                pongs.add(e.getPong().getId());
            }
        }
        if (!pongs.equals(pings)) {
            throw new AssertionError("pongs " + pongs + " do not answer the pings " + pings);
        }
        fuzzed.close();
        watcher.close();
        publisher.close();
    }
}
