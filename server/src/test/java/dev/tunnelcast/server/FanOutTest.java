package dev.tunnelcast.server;

import static dev.tunnelcast.server.testing.Messages.AUDIO;
import static dev.tunnelcast.server.testing.Messages.VIDEO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.Ping;
import dev.tunnelcast.proto.v1.Pong;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.proto.v1.StatusCode;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.server.clock.RelayClock;
import dev.tunnelcast.server.relay.StreamObserver;
import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.WsClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FanOutTest {

    static Relay relay;
    static final List<String> observed = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() {
        relay = Relay.start(TestRelays.config().observers(List.of(new StreamObserver() {
            @Override
            public void publisherStarted(String stream, String sessionId) {
                observed.add(stream + " start");
            }

            @Override
            public void trackConfig(String stream, TrackConfig config) {
                observed.add(stream + " config " + config.getTrackId());
            }

            @Override
            public void mediaPacket(String stream, MediaPacket packet, long receivedAtMicros) {
                observed.add(stream + " packet " + packet.getTrackId() + "/" + packet.getSequence());
            }

            @Override
            public void publisherStopped(String stream, String sessionId) {
                observed.add(stream + " stop");
            }
        })).build());
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void everyPlayerReceivesTheSameBytesInOrder() {
        List<WsClient> players = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            players.add(TestRelays.player(relay, "fan"));
        }
        try (WsClient publisher = TestRelays.publisher(relay, "fan")) {
            for (WsClient p : players) {
                assertThat(p.next().envelope().getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_STREAM_ONLINE);
            }
            List<byte[]> sent = new ArrayList<>();
            sent.add(Messages.videoConfig(VIDEO).toByteArray());
            sent.add(Messages.audioConfig(AUDIO).toByteArray());
            for (int i = 0; i < 150; i++) {
                sent.add(Messages.packet(VIDEO, i, i % 30 == 0, 2000 + i * 37).toByteArray());
                sent.add(Messages.packet(AUDIO, i, false, 160).toByteArray());
            }
            sent.forEach(publisher::sendBytes);
            for (WsClient p : players) {
                for (byte[] expected : sent) {
                    assertThat(p.next().bytes()).isEqualTo(expected);
                }
            }
        } finally {
            players.forEach(WsClient::close);
        }
    }

    @Test
    void aLateJoinerGetsConfigsAndTheGopFromTheLastKeyframe() {
        try (WsClient publisher = TestRelays.publisher(relay, "late")) {
            publisher.send(Messages.videoConfig(VIDEO));
            publisher.send(Messages.audioConfig(AUDIO));
            List<byte[]> sinceLastKeyframe = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                boolean key = i % 10 == 0;
                byte[] video = Messages.packet(VIDEO, i, key, 1000).toByteArray();
                byte[] audio = Messages.packet(AUDIO, i, false, 100).toByteArray();
                if (key) {
                    sinceLastKeyframe.clear();
                }
                sinceLastKeyframe.add(video);
                sinceLastKeyframe.add(audio);
                publisher.sendBytes(video);
                publisher.sendBytes(audio);
            }
            // A ping round trip proves the relay has handled everything sent before it.
            publisher.send(Envelope.newBuilder().setPing(Ping.newBuilder().setId(7)).build());
            publisher.nextOf(Envelope.KindCase.PONG);

            try (WsClient late = WsClient.connect(TestRelays.playUri(relay, "late"))) {
                late.send(Messages.hello(Role.ROLE_PLAYER));
                assertThat(late.next().envelope().getKindCase()).isEqualTo(Envelope.KindCase.WELCOME);
                assertThat(late.next().envelope().getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_STREAM_ONLINE);
                assertThat(late.next().bytes()).isEqualTo(Messages.videoConfig(VIDEO).toByteArray());
                assertThat(late.next().bytes()).isEqualTo(Messages.audioConfig(AUDIO).toByteArray());
                for (byte[] expected : sinceLastKeyframe) {
                    assertThat(late.next().bytes()).isEqualTo(expected);
                }
                assertThat(sinceLastKeyframe).hasSize(10);
                // Then live, with no gap and no duplicate.
                byte[] live = Messages.packet(VIDEO, 25, false, 1000).toByteArray();
                publisher.sendBytes(live);
                assertThat(late.next().bytes()).isEqualTo(live);
            }
        }
    }

    @Test
    void pingIsAnsweredOnTheRelayClock() {
        // A relay clock an hour ahead of this machine's: the Pong must carry the relay's
        // clock, not the system's. Reading the same clock here makes the bounds exact.
        RelayClock system = RelayClock.system();
        long aheadMicros = 3_600_000_000L;
        RelayClock ahead = new RelayClock() {
            @Override
            public long nowMicros() {
                return system.nowMicros() + aheadMicros;
            }

            @Override
            public long monotonicNanos() {
                return system.monotonicNanos();
            }
        };
        try (Relay clocked = Relay.start(TestRelays.config().clock(ahead).build());
             WsClient player = TestRelays.player(clocked, "clock")) {
            long before = ahead.nowMicros();
            player.send(Envelope.newBuilder().setPing(Ping.newBuilder().setId(42).setSendTimeMicros(123)).build());
            Pong pong = player.nextOf(Envelope.KindCase.PONG).getPong();
            long after = ahead.nowMicros();
            assertThat(pong.getId()).isEqualTo(42);
            assertThat(pong.getPingSendTimeMicros()).isEqualTo(123);
            assertThat(pong.getReceiveTimeMicros()).isBetween(before, after);
            assertThat(pong.getSendTimeMicros()).isBetween(pong.getReceiveTimeMicros(), after);
        }
    }

    @Test
    void aPongTellsThePublisherHowManyBytesTheRelayReceivedUpToThePing() {
        try (Relay relay = Relay.start(TestRelays.config().build());
             WsClient publisher = TestRelays.publisher(relay, "counted")) {
            long sent = Messages.hello(Role.ROLE_PUBLISHER).getSerializedSize();
            for (Envelope e : List.of(Messages.videoConfig(VIDEO), Messages.packet(VIDEO, 0, true, 5000),
                    Messages.packet(VIDEO, 1, false, 1200))) {
                publisher.send(e);
                sent += e.getSerializedSize();
            }
            Envelope ping = Envelope.newBuilder().setPing(Ping.newBuilder().setId(7).setSendTimeMicros(1)).build();
            publisher.send(ping);
            sent += ping.getSerializedSize();
            Pong first = publisher.nextOf(Envelope.KindCase.PONG).getPong();
            assertThat(first.getReceivedBytes()).as("Hello, a config, two packets and the Ping").isEqualTo(sent);
            Envelope packet = Messages.packet(VIDEO, 2, false, 800);
            publisher.send(packet);
            publisher.send(ping);
            assertThat(publisher.nextOf(Envelope.KindCase.PONG).getPong().getReceivedBytes())
                    .isEqualTo(sent + packet.getSerializedSize() + ping.getSerializedSize());
        }
    }

    @Test
    void theObserverSeesConfigsPacketsStartAndStopInOrder() throws Exception {
        try (WsClient publisher = TestRelays.publisher(relay, "observed")) {
            publisher.send(Messages.videoConfig(VIDEO));
            publisher.send(Messages.packet(VIDEO, 5, true, 100));
            publisher.send(Messages.packet(VIDEO, 6, false, 100));
            publisher.send(Messages.audioConfig(AUDIO));
            publisher.send(Messages.packet(AUDIO, 1, false, 100));
        }
        long deadline = System.currentTimeMillis() + 5000;
        List<String> mine;
        do {
            Thread.sleep(20);
            synchronized (observed) {
                mine = observed.stream().filter(s -> s.startsWith("observed ")).toList();
            }
        } while (!mine.contains("observed stop") && System.currentTimeMillis() < deadline);
        assertThat(mine).containsExactly("observed start", "observed config 1", "observed packet 1/5",
                "observed packet 1/6", "observed config 2", "observed packet 2/1", "observed stop");
    }
}
