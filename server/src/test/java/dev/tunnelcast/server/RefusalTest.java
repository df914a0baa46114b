package dev.tunnelcast.server;

import static dev.tunnelcast.server.testing.Messages.AUDIO;
import static dev.tunnelcast.server.testing.Messages.VIDEO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.proto.v1.Status;
import dev.tunnelcast.proto.v1.StatusCode;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.WsClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every refused input gets its documented close code, and the relay keeps serving others. */
class RefusalTest {

    static Relay relay;
    static final AtomicInteger streams = new AtomicInteger();

    @BeforeAll
    static void start() {
        relay = Relay.start(TestRelays.config()
                .maxMessageBytes(64 * 1024)
                .build());
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @AfterEach
    void relayStillServesAHealthyPair() {
        healthyPair(relay);
    }

    @Test
    void textFrame() {
        WsClient c = WsClient.connect(TestRelays.publishUri(relay, fresh()));
        c.sendText("hello?");
        assertRefused(c, CloseCode.CLOSE_CODE_BAD_MESSAGE);
    }

    @Test
    void malformedProtobuf() {
        WsClient c = WsClient.connect(TestRelays.publishUri(relay, fresh()));
        c.sendBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02});
        assertRefused(c, CloseCode.CLOSE_CODE_BAD_MESSAGE);
    }

    @Test
    void emptyEnvelope() {
        WsClient c = WsClient.connect(TestRelays.playUri(relay, fresh()));
        c.sendBytes(Envelope.getDefaultInstance().toByteArray());
        assertRefused(c, CloseCode.CLOSE_CODE_BAD_MESSAGE);
    }

    @Test
    void oversizedMessage() {
        WsClient c = TestRelays.publisher(relay, fresh());
        c.send(Messages.videoConfig(VIDEO));
        c.send(Messages.packet(VIDEO, 0, true, 65 * 1024));
        assertRefused(c, CloseCode.CLOSE_CODE_MESSAGE_TOO_BIG);
        assertThat(relay.metrics().refusals(CloseCode.CLOSE_CODE_MESSAGE_TOO_BIG)).isPositive();
    }

    /** Neither the live players nor the config cache (later players) get a non-canonical message. */
    @Test
    void nonCanonicalEncoding() {
        String stream = fresh();
        WsClient early = TestRelays.player(relay, stream);
        WsClient c = TestRelays.publisher(relay, stream);
        c.sendBytes(Messages.overlongLengthTrackConfig());
        assertRefused(c, CloseCode.CLOSE_CODE_BAD_MESSAGE);
        assertThat(early.nextOf(Envelope.KindCase.STATUS).getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_STREAM_ONLINE);
        assertThat(early.nextOf(Envelope.KindCase.STATUS).getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_STREAM_OFFLINE);
        WsClient late = TestRelays.player(relay, stream);
        assertThat(early.nextUntilQuiet()).isEmpty();
        assertThat(late.nextUntilQuiet()).isEmpty();
        early.close();
        late.close();
    }

    @Test
    void messageBeforeHello() {
        WsClient c = WsClient.connect(TestRelays.publishUri(relay, fresh()));
        c.send(Messages.videoConfig(VIDEO));
        assertRefused(c, CloseCode.CLOSE_CODE_BAD_MESSAGE);
    }

    @Test
    void noHelloInTime() {
        try (Relay impatient = Relay.start(TestRelays.config().helloTimeout(Duration.ofSeconds(1)).build())) {
            WsClient c = WsClient.connect(TestRelays.playUri(impatient, fresh()));
            assertRefused(c, CloseCode.CLOSE_CODE_BAD_MESSAGE);
            healthyPair(impatient);
        }
    }

    @Test
    void wrongRole() {
        WsClient c = WsClient.connect(TestRelays.publishUri(relay, fresh()));
        c.send(Messages.hello(Role.ROLE_PLAYER));
        assertRefused(c, CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION);
    }

    @Test
    void badVersion() {
        WsClient c = WsClient.connect(TestRelays.playUri(relay, fresh()));
        c.send(Messages.hello(Role.ROLE_PLAYER, 2));
        assertRefused(c, CloseCode.CLOSE_CODE_UNSUPPORTED_VERSION);
    }

    @Test
    void mediaPacketBeforeTrackConfig() {
        WsClient c = TestRelays.publisher(relay, fresh());
        c.send(Messages.packet(VIDEO, 0, true, 100));
        assertRefused(c, CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION);
    }

    @Test
    void unknownTrack() {
        WsClient c = TestRelays.publisher(relay, fresh());
        c.send(Messages.videoConfig(VIDEO));
        c.send(Messages.packet(9, 0, false, 100));
        assertRefused(c, CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION);
    }

    @Test
    void sequenceGoingBackwards() {
        String stream = fresh();
        WsClient player = TestRelays.player(relay, stream);
        WsClient c = TestRelays.publisher(relay, stream);
        c.send(Messages.audioConfig(AUDIO));
        c.send(Messages.packet(AUDIO, 10, false, 100));
        c.send(Messages.packet(AUDIO, 12, false, 100)); // gaps are allowed
        c.send(Messages.packet(AUDIO, 11, false, 100));
        assertRefused(c, CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION);
        // The player saw the valid packets, never the bad one, and is told the publisher left.
        assertThat(player.nextOf(Envelope.KindCase.MEDIA_PACKET).getMediaPacket().getSequence()).isEqualTo(10);
        assertThat(player.nextOf(Envelope.KindCase.MEDIA_PACKET).getMediaPacket().getSequence()).isEqualTo(12);
        assertThat(player.nextOf(Envelope.KindCase.STATUS).getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_STREAM_OFFLINE);
        player.close();
    }

    @Test
    void malformedTrackConfig() {
        WsClient c = TestRelays.publisher(relay, fresh());
        c.send(Envelope.newBuilder().setTrackConfig(TrackConfig.newBuilder(Messages.videoConfig(VIDEO).getTrackConfig())
                .setCodec("")).build());
        assertRefused(c, CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION);
    }

    @Test
    void playerSendingMedia() {
        WsClient c = TestRelays.player(relay, fresh());
        c.send(Messages.videoConfig(VIDEO));
        assertRefused(c, CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION);
    }

    @Test
    void randomGarbageOnManyConnectionsAtOnce() {
        java.util.Random random = new java.util.Random(42);
        List<WsClient> clients = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            WsClient c = WsClient.connect(i % 2 == 0 ? TestRelays.publishUri(relay, fresh()) : TestRelays.playUri(relay, fresh()));
            byte[] garbage = new byte[1 + random.nextInt(i % 5 == 0 ? 70_000 : 300)];
            random.nextBytes(garbage);
            c.sendBytes(garbage);
            clients.add(c);
        }
        for (WsClient c : clients) {
            int code = c.awaitClose().code();
            assertThat(code).isIn(CloseCode.CLOSE_CODE_BAD_MESSAGE.getNumber(), CloseCode.CLOSE_CODE_MESSAGE_TOO_BIG.getNumber(),
                    CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION.getNumber(), CloseCode.CLOSE_CODE_UNSUPPORTED_VERSION.getNumber());
        }
    }

    @Test
    void invalidStreamNames() {
        for (String bad : List.of("bad%20name", "-dash-first", "x".repeat(65), "semi%3Bcolon")) {
            WsClient c = WsClient.connect(URI.create("ws://127.0.0.1:" + relay.port() + "/ws/play/" + bad));
            assertRefused(c, CloseCode.CLOSE_CODE_INVALID_STREAM);
        }
    }

    /** Undertow strips {@code ;b} as a path parameter and decodes {@code %xx}: the name is judged as sent. */
    @Test
    void streamNamesAreJudgedAsSent() {
        for (String bad : List.of("a;b", "a;b=c", "%61", "a%2Fb", "..", "a%00")) {
            for (String path : List.of("/ws/play/", "/ws/publish/")) {
                WsClient c = WsClient.connect(URI.create("ws://127.0.0.1:" + relay.port() + path + bad));
                assertRefused(c, CloseCode.CLOSE_CODE_INVALID_STREAM);
            }
        }
    }

    @Test
    void secondPublisher() {
        String stream = fresh();
        WsClient first = TestRelays.publisher(relay, stream);
        WsClient second = WsClient.connect(TestRelays.publishUri(relay, stream));
        second.send(Messages.hello(Role.ROLE_PUBLISHER));
        assertRefused(second, CloseCode.CLOSE_CODE_PUBLISHER_EXISTS);
        // The first one is unaffected.
        WsClient player = TestRelays.player(relay, stream);
        first.send(Messages.audioConfig(AUDIO));
        assertThat(player.nextOf(Envelope.KindCase.TRACK_CONFIG).getTrackConfig().getTrackId()).isEqualTo(AUDIO);
        player.close();
        first.close();
    }

    @Test
    void takeoverWhenAllowed() {
        try (Relay takeover = Relay.start(TestRelays.config().allowTakeover(true).build())) {
            WsClient player = TestRelays.player(takeover, "cam");
            WsClient first = TestRelays.publisher(takeover, "cam");
            first.send(Messages.audioConfig(AUDIO));
            player.nextOf(Envelope.KindCase.TRACK_CONFIG);
            WsClient second = TestRelays.publisher(takeover, "cam");
            assertRefused(first, CloseCode.CLOSE_CODE_TAKEN_OVER);
            second.send(Messages.audioConfig(AUDIO));
            second.send(Messages.packet(AUDIO, 0, false, 50));
            assertThat(player.nextOf(Envelope.KindCase.MEDIA_PACKET).getMediaPacket().getSequence()).isZero();
            assertThat(player.isClosed()).isFalse();
            healthyPair(takeover);
            player.close();
            second.close();
        }
    }

    @Test
    void tooManyStreamsAndPlayers() {
        try (Relay small = Relay.start(TestRelays.config().maxStreams(1).maxPlayersPerStream(2).maxPlayers(3).build())) {
            WsClient pub = TestRelays.publisher(small, "one");
            WsClient other = WsClient.connect(TestRelays.publishUri(small, "two"));
            other.send(Messages.hello(Role.ROLE_PUBLISHER));
            assertRefused(other, CloseCode.CLOSE_CODE_TOO_MANY);

            WsClient p1 = TestRelays.player(small, "one");
            WsClient p2 = TestRelays.player(small, "one");
            WsClient p3 = WsClient.connect(TestRelays.playUri(small, "one"));
            p3.send(Messages.hello(Role.ROLE_PLAYER));
            assertRefused(p3, CloseCode.CLOSE_CODE_TOO_MANY); // per stream
            WsClient p4 = TestRelays.player(small, "elsewhere");
            WsClient p5 = WsClient.connect(TestRelays.playUri(small, "elsewhere"));
            p5.send(Messages.hello(Role.ROLE_PLAYER));
            assertRefused(p5, CloseCode.CLOSE_CODE_TOO_MANY); // in all
            assertThat(small.metrics().refusals(CloseCode.CLOSE_CODE_TOO_MANY)).isEqualTo(3.0);

            // Freed slots are reusable as soon as the close has completed.
            p4.closeAndAwait();
            pub.closeAndAwait();
            WsClient again = TestRelays.publisher(small, "two");
            WsClient p6 = TestRelays.player(small, "two");
            again.send(Messages.audioConfig(AUDIO));
            assertThat(p6.nextOf(Envelope.KindCase.TRACK_CONFIG).getTrackConfig().getTrackId()).isEqualTo(AUDIO);
            List.of(p1, p2, p6, again).forEach(WsClient::close);
        }
    }

    static void assertRefused(WsClient client, CloseCode code) {
        WsClient.Closed closed = client.awaitClose();
        assertThat(closed.code()).as("close code").isEqualTo(code.getNumber());
        List<WsClient.Received> received = client.drain();
        assertThat(received).as("a Status{REFUSED} precedes the close").isNotEmpty();
        Status status = received.get(received.size() - 1).envelope().getStatus();
        assertThat(status.getCode()).isEqualTo(StatusCode.STATUS_CODE_REFUSED);
        assertThat(status.getCloseCode()).isEqualTo(code.getNumber());
        assertThat(status.getMessage()).isNotBlank();
    }

    static void healthyPair(Relay relay) {
        String stream = "healthy" + streams.incrementAndGet();
        try (WsClient publisher = TestRelays.publisher(relay, stream);
             WsClient player = TestRelays.player(relay, stream)) {
            byte[] config = Messages.videoConfig(VIDEO).toByteArray();
            byte[] key = Messages.packet(VIDEO, 0, true, 5000).toByteArray();
            publisher.sendBytes(config);
            publisher.sendBytes(key);
            assertThat(player.next().bytes()).isEqualTo(config);
            assertThat(player.next().bytes()).isEqualTo(key);
        }
    }

    private static String fresh() {
        return "s" + streams.incrementAndGet();
    }
}
