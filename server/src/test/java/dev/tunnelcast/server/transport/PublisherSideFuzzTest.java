package dev.tunnelcast.server.transport;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.Role;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/**
 * A publisher's messages, in any order and shape, through the relay's parse, validation,
 * GOP cache and fan-out (below the socket: see {@link FuzzRelay}). A player watches live and
 * a second one joins at the end (it gets the config cache and the GOP). Invariants: the
 * relay never throws and never closes with 4500; every refusal is documented; what reaches a
 * player is canonical protobuf, in an order a player can use (a track's config before its
 * packets, sequences rising); nothing the publisher sends after a refusal is forwarded.
 *
 * <p>{@code mvn test} replays the inputs under
 * {@code src/test/resources/dev/tunnelcast/server/transport/PublisherSideFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1} (or {@code bench/run fuzz}) fuzzes.
 */
class PublisherSideFuzzTest {

    private static final int MAX_MESSAGES = 40;

    @BeforeAll
    static void warmUp() {
        FuzzRelay.warmUp();
    }

    @FuzzTest(maxDuration = "30s")
    void publisherMessages(FuzzedDataProvider data) throws Exception {
        FuzzRelay relay = new FuzzRelay();
        FuzzRelay.Client live = relay.player();
        live.send(FuzzedEnvelopes.hello(data, Role.ROLE_PLAYER).toByteArray());
        FuzzRelay.Client publisher = relay.publisher();
        if (data.consumeBoolean()) {
            publisher.send(FuzzedEnvelopes.hello(data, Role.ROLE_PUBLISHER));
        }
        int forwardedAtRefusal = -1;
        for (int i = 0; i < MAX_MESSAGES && data.remainingBytes() > 0; i++) {
            publisher.send(FuzzedEnvelopes.next(data));
            if (forwardedAtRefusal < 0 && publisher.socket().closeCode() >= 0) {
                forwardedAtRefusal = forwarded(live.socket().received());
            }
        }
        FuzzRelay.Client late = relay.player();
        late.send(FuzzedEnvelopes.hello(data, Role.ROLE_PLAYER).toByteArray());

        for (FuzzRelay.Client client : List.of(publisher, live, late)) {
            client.assertWellTreated();
        }
        for (FuzzRelay.Client player : List.of(live, late)) {
            player.assertReceivedCanonical();
            assertUsableOrder(player.socket().received());
        }
        if (forwardedAtRefusal >= 0 && forwarded(live.socket().received()) != forwardedAtRefusal) { // a plain check
            throw new AssertionError((forwarded(live.socket().received()) - forwardedAtRefusal) + " messages forwarded after the refusal");
        }
        publisher.close();
        live.close();
        late.close();
    }

    private static int forwarded(List<Envelope> received) {
        return (int) received.stream().filter(e -> e.hasTrackConfig() || e.hasMediaPacket()).count();
    }

    /**
     * Each packet after its track's config; per track, sequences rise (unsigned). Plain checks,
     * not AssertJ: they run for every packet of every input.
     */
    private static void assertUsableOrder(List<Envelope> received) {
        Map<Integer, Long> lastSequence = new HashMap<>();
        for (Envelope e : received) {
            if (e.hasTrackConfig()) {
                lastSequence.putIfAbsent(e.getTrackConfig().getTrackId(), null);
            } else if (e.hasMediaPacket()) {
                MediaPacket p = e.getMediaPacket();
                if (!lastSequence.containsKey(p.getTrackId())) {
                    throw new AssertionError("packet " + p.getSequence() + " of track " + p.getTrackId()
                            + " before the track's config");
                }
                Long last = lastSequence.get(p.getTrackId());
                if (last != null && Long.compareUnsigned(p.getSequence(), last) <= 0) {
                    throw new AssertionError("track " + p.getTrackId() + ": sequence " + Long.toUnsignedString(p.getSequence())
                            + " after " + Long.toUnsignedString(last));
                }
                lastSequence.put(p.getTrackId(), p.getSequence());
            }
        }
    }
}
