package dev.tunnelcast.e2e;

import dev.tunnelcast.bench.harness.PlayerSocket;
import dev.tunnelcast.proto.v1.Envelope;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A player as the wire sees it: a real WebSocket client that says Hello and records every envelope. */
final class TestSubscriber implements AutoCloseable {

    /** One received envelope and when it arrived (system clock, µs since the epoch). */
    record Received(Envelope envelope, long arrivedAtMicros) {}

    private final PlayerSocket socket;
    final BlockingQueue<Received> received;

    private TestSubscriber(PlayerSocket socket, BlockingQueue<Received> received) {
        this.socket = socket;
        this.received = received;
    }

    static TestSubscriber connect(URI playUri) throws Exception {
        BlockingQueue<Received> sink = new LinkedBlockingQueue<>();
        PlayerSocket socket = PlayerSocket.connect(playUri, "e2e-subscriber", (e, at) -> sink.add(new Received(e, at)));
        return new TestSubscriber(socket, sink);
    }

    @Override
    public void close() {
        socket.close();
    }
}
