package dev.tunnelcast.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.tunnelcast.agent.clock.ClockOffsetEstimator;
import dev.tunnelcast.agent.clock.LocalClock;
import dev.tunnelcast.proto.v1.EndOfStream;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.KeyframeRequest;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.Ping;
import dev.tunnelcast.proto.v1.Pong;
import dev.tunnelcast.proto.v1.RoomEvent;
import dev.tunnelcast.proto.v1.RoomMember;
import dev.tunnelcast.proto.v1.Status;
import dev.tunnelcast.proto.v1.Welcome;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the relay sends, in any order and shape, through the agent's receiving side: the
 * WebSocket listener that reassembles fragments and parses envelopes, and the publisher's
 * handling of each kind (Welcome, Pong into the clock estimate, Ping, KeyframeRequest,
 * Status, a RoomEvent it never asked for). Invariants: nothing escapes the listener; a
 * message that does not parse, and only that, ends the session with an
 * IllegalStateException; the first Welcome is the one taken; keyframe requests reach the
 * encoder at most once each.
 *
 * <p>{@code mvn test} replays the inputs under
 * {@code src/test/resources/dev/tunnelcast/agent/publish/RelayMessagesFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1} (or {@code bench/run fuzz}) fuzzes.
 */
class RelayMessagesFuzzTest {

    private static final int MAX_MESSAGES = 40;
    private static final AtomicInteger KEYFRAMES_WANTED = new AtomicInteger();
    private static final ClockOffsetEstimator ESTIMATOR = new ClockOffsetEstimator(10_000_000);
    /** Never started: no connection, only its handling of messages. */
    private static final Publisher PUBLISHER = new Publisher(
            new PublisherConfig(URI.create("ws://127.0.0.1:9"), "fuzz", "", null, TlsSettings.defaults(), 1 << 20,
                    Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofSeconds(1),
                    Duration.ofSeconds(2), "fuzz"),
            LocalClock.system(), ESTIMATOR, new Publisher.Listener() {
                @Override
                public void onKeyframeNeeded(String why) {
                    KEYFRAMES_WANTED.incrementAndGet();
                }

                @Override
                public void onVideoDropped() {}

                @Override
                public void onFatal(FatalPublishException error) {}
            });

    @FuzzTest(maxDuration = "30s")
    void relayMessages(FuzzedDataProvider data) throws Exception {
        CompletableFuture<Welcome> welcome = new CompletableFuture<>();
        RelaySession session = PUBLISHER.newSession(welcome);
        WebSocket socket = new IdleWebSocket();
        session.onOpen(socket);
        int keyframesBefore = KEYFRAMES_WANTED.get();
        int keyframeRequests = 0;
        boolean invalidSent = false;
        Welcome firstWelcome = null;
        for (int i = 0; i < MAX_MESSAGES && data.remainingBytes() > 0 && !invalidSent; i++) {
            if (data.consumeInt(0, 15) == 0) {
                assertNothingPending(session.onText(socket, data.consumeString(20), true));
                continue;
            }
            byte[] message = data.consumeBoolean() ? envelope(data).toByteArray() : data.consumeBytes(data.consumeInt(0, 200));
            try {
                Envelope parsed = Envelope.parseFrom(message);
                keyframeRequests += parsed.hasKeyframeRequest() ? 1 : 0;
                if (parsed.hasWelcome() && firstWelcome == null) {
                    firstWelcome = parsed.getWelcome();
                }
            } catch (InvalidProtocolBufferException e) {
                invalidSent = true;
            }
            int cut = data.consumeInt(0, message.length);
            assertNothingPending(session.onBinary(socket, ByteBuffer.wrap(message, 0, cut), false));
            assertNothingPending(session.onBinary(socket, ByteBuffer.wrap(message, cut, message.length - cut), true));
        }

        assertThat(session.closed().isDone()).as("session ended").isEqualTo(invalidSent);
        if (invalidSent) {
            // not AssertJ's catchThrowableOfType: it formats its failure message (with the
            // throwable's stack) before it checks, a fifth of this test's time per input
            try {
                session.closed().get();
                throw new AssertionError("the session ended without an error after an invalid message");
            } catch (ExecutionException ended) {
                if (!(ended.getCause() instanceof IllegalStateException)) {
                    throw new AssertionError("the session ended with " + ended.getCause(), ended.getCause());
                }
            }
        }
        assertThat(welcome.getNow(null)).isEqualTo(firstWelcome);
        assertThat(KEYFRAMES_WANTED.get() - keyframesBefore).isBetween(0, keyframeRequests);
        if (ESTIMATOR.lastRttMicros() != -1) {
            assertThat(ESTIMATOR.lastRttMicros()).isNotNegative();
        }
    }

    /** The listener asks for nothing to be awaited (a plain check: it runs twice per message). */
    private static void assertNothingPending(CompletionStage<?> pending) {
        if (pending != null) {
            throw new AssertionError("the listener returned a pending stage: " + pending);
        }
    }

    private static Envelope envelope(FuzzedDataProvider data) {
        Envelope.Builder e = Envelope.newBuilder();
        switch (data.consumeInt(0, 7)) {
            case 0 -> e.setWelcome(Welcome.newBuilder().setSessionId(data.consumeString(16))
                    .setRelayTimeMicros(data.consumeLong()).setProtocolVersion(data.consumeInt()));
            case 1 -> e.setPong(Pong.newBuilder().setId(data.consumeLong()).setPingSendTimeMicros(data.consumeLong())
                    .setReceiveTimeMicros(data.consumeLong()).setSendTimeMicros(data.consumeLong()));
            case 2 -> e.setPing(Ping.newBuilder().setId(data.consumeLong()).setSendTimeMicros(data.consumeLong()));
            case 3 -> e.setKeyframeRequest(KeyframeRequest.newBuilder().setTrackId(data.consumeInt())
                    .setReason(data.consumeString(20)));
            case 4 -> e.setStatus(Status.newBuilder().setCodeValue(data.consumeInt(-1, 6))
                    .setMessage(data.consumeString(40)).setCloseCode(data.consumeInt()));
            case 5 -> e.setEndOfStream(EndOfStream.newBuilder().setReason(data.consumeString(20)));
            case 6 -> e.setRoomEvent(RoomEvent.newBuilder().setRoom(data.consumeString(16))
                    .setChangeValue(data.consumeInt(-1, 5)).setParticipant(data.consumeString(16))
                    .addMembers(RoomMember.newBuilder().setParticipant(data.consumeString(16))
                            .setDisplayName(data.consumeString(20)))
                    .setMaxMembers(data.consumeInt()));
            default -> e.setMediaPacket(MediaPacket.newBuilder().setTrackId(data.consumeInt())
                    .setPayload(ByteString.copyFrom(data.consumeBytes(32))));
        }
        return e.build();
    }

    /** The socket the listener is handed: it only asks for more messages. */
    private static final class IdleWebSocket implements WebSocket {
        @Override
        public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public void request(long n) {}

        @Override
        public String getSubprotocol() {
            return "";
        }

        @Override
        public boolean isOutputClosed() {
            return false;
        }

        @Override
        public boolean isInputClosed() {
            return false;
        }

        @Override
        public void abort() {}
    }
}
