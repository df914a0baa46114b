package dev.tunnelcast.bench.fanout;

import com.google.protobuf.CodedInputStream;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Hello;
import dev.tunnelcast.proto.v1.Role;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * N WebSocket players on one selector thread, each a real TCP connection doing a real
 * handshake and sending a real Hello. Each media packet's header is decoded (not its
 * payload) to count delivery per player and record latency against {@link BenchClock}.
 * A player is ready when the relay welcomes it, or, for a relay that sends no Welcome (the
 * Node baseline), as soon as its upgrade is accepted.
 */
final class SubscriberSwarm implements AutoCloseable {
    private final Selector selector = Selector.open();
    private final List<Player> players = new ArrayList<>();
    private final Thread thread;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private final Histogram latencyMicros = new Histogram(60_000_000L, 3);
    private final Map<Integer, Integer> closeCodes = new ConcurrentHashMap<>();
    private final CountDownLatch allReady;
    private final boolean awaitWelcome;
    private volatile boolean running = true;
    private volatile boolean measuring;
    private volatile long firstVideoSequence = Long.MAX_VALUE;
    private volatile long firstAudioSequence = Long.MAX_VALUE;

    SubscriberSwarm(InetSocketAddress relay, String stream, int count, int stalledPlayers, boolean awaitWelcome)
            throws IOException {
        this.awaitWelcome = awaitWelcome;
        allReady = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.connect(relay);
            Player player = new Player(channel, stream, i < stalledPlayers);
            players.add(player);
            channel.register(selector, SelectionKey.OP_CONNECT, player);
        }
        thread = new Thread(this::loop, "bench-players");
        thread.setDaemon(true);
        thread.start();
    }

    boolean awaitConnected(long timeout, TimeUnit unit) throws InterruptedException {
        return allReady.await(timeout, unit);
    }

    /** From now on, count packets at or after these sequence numbers and record latency. */
    void startMeasuring(long videoSequence, long audioSequence) {
        firstVideoSequence = videoSequence;
        firstAudioSequence = audioSequence;
        measuring = true;
    }

    void stopMeasuring() { measuring = false; }

    /** Counts and latencies, read after {@link #stopMeasuring()} (waits for the loop to settle). */
    synchronized Snapshot snapshot() {
        List<Long> delivered = new ArrayList<>();
        long stalledDelivered = 0;
        for (Player p : players) {
            if (p.stalled) stalledDelivered += p.measuredPackets;
            else delivered.add(p.measuredPackets);
        }
        return new Snapshot(delivered, stalledDelivered, latencyMicros.copy(), Map.copyOf(closeCodes));
    }

    record Snapshot(List<Long> deliveredPerHealthyPlayer, long stalledDelivered, Histogram latencyMicros,
                    Map<Integer, Integer> closeCodes) {}

    private void loop() {
        try {
            while (running) {
                selector.select(100);
                synchronized (this) {
                    for (SelectionKey key : selector.selectedKeys()) handle(key);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            if (running) throw new IllegalStateException(e);
        }
    }

    private void handle(SelectionKey key) {
        Player p = (Player) key.attachment();
        try {
            if (key.isConnectable() && p.channel.finishConnect()) {
                writeFully(p.channel, ByteBuffer.wrap(p.handshakeRequest()));
                key.interestOps(SelectionKey.OP_READ);
            } else if (key.isReadable()) {
                readBuffer.clear();
                int n = p.channel.read(readBuffer);
                if (n < 0) {
                    key.cancel();
                    p.channel.close();
                    return;
                }
                readBuffer.flip();
                p.consume(readBuffer);
                if (p.stalled && p.ready) key.interestOps(0); // stops reading: the slow player
            }
        } catch (IOException e) {
            key.cancel();
            closeCodes.merge(-1, 1, Integer::sum);
        }
    }

    private static void writeFully(SocketChannel channel, ByteBuffer data) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (data.hasRemaining() && System.nanoTime() < deadline) channel.write(data);
    }

    /** A masked client frame (clients must mask, RFC 6455 5.3). */
    private static ByteBuffer clientFrame(int opcode, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(payload.length + 14);
        frame.put((byte) (0x80 | opcode));
        if (payload.length < 126) {
            frame.put((byte) (0x80 | payload.length));
        } else {
            frame.put((byte) (0x80 | 126));
            frame.putShort((short) payload.length);
        }
        byte[] mask = {0x12, 0x34, 0x56, 0x78};
        frame.put(mask);
        for (int i = 0; i < payload.length; i++) frame.put((byte) (payload[i] ^ mask[i & 3]));
        return frame.flip();
    }

    private final class Player implements WsFrameParser.Sink {
        final SocketChannel channel;
        final String stream;
        final boolean stalled;
        final WsFrameParser parser = new WsFrameParser();
        final StringBuilder handshake = new StringBuilder();
        boolean upgraded;
        boolean ready;
        long measuredPackets;

        Player(SocketChannel channel, String stream, boolean stalled) {
            this.channel = channel;
            this.stream = stream;
            this.stalled = stalled;
        }

        byte[] handshakeRequest() {
            byte[] key = new byte[16];
            new Random().nextBytes(key);
            return ("GET /ws/play/" + stream + " HTTP/1.1\r\nHost: bench\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                    + Base64.getEncoder().encodeToString(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        void consume(ByteBuffer data) throws IOException {
            if (!upgraded) {
                while (data.hasRemaining() && !upgraded) {
                    handshake.append((char) data.get());
                    if (handshake.length() >= 4 && handshake.lastIndexOf("\r\n\r\n") == handshake.length() - 4) {
                        if (!handshake.toString().startsWith("HTTP/1.1 101")) {
                            throw new IOException("handshake refused: " + handshake.toString().lines().findFirst().orElse(""));
                        }
                        upgraded = true;
                        byte[] hello = Envelope.newBuilder().setHello(Hello.newBuilder().setRole(Role.ROLE_PLAYER)
                                .setProtocolVersion(1).setClientName("tunnelcast-bench")).build().toByteArray();
                        writeFully(channel, clientFrame(2, hello));
                        if (!awaitWelcome) becomeReady();
                    }
                }
            }
            parser.feed(data, this);
        }

        @Override
        public void message(byte[] prefix, int length, long totalLength) {
            try {
                CodedInputStream in = CodedInputStream.newInstance(prefix, 0, length);
                int tag = in.readTag();
                int field = tag >>> 3;
                if (field == Envelope.WELCOME_FIELD_NUMBER) becomeReady();
                if (field != Envelope.MEDIA_PACKET_FIELD_NUMBER) return;
                in.readRawVarint32();
                int track = 0;
                long sequence = 0;
                long captureMicros = 0;
                while (true) {
                    int inner = in.readTag();
                    int number = inner >>> 3;
                    if (inner == 0 || number == 7) break;
                    switch (number) {
                        case 1 -> track = in.readUInt32();
                        case 2 -> sequence = in.readUInt64();
                        case 6 -> captureMicros = in.readInt64();
                        default -> in.skipField(inner);
                    }
                }
                if (!measuring) return;
                long first = track == SyntheticPublisher.VIDEO_TRACK ? firstVideoSequence : firstAudioSequence;
                if (sequence >= first) {
                    measuredPackets++;
                    latencyMicros.recordValue(Math.max(0, BenchClock.nowMicros() - captureMicros));
                }
            } catch (IOException e) {
                closeCodes.merge(-2, 1, Integer::sum); // a prefix we could not decode
            }
        }

        void becomeReady() {
            if (ready) return;
            ready = true;
            allReady.countDown();
        }

        @Override
        public void ping(byte[] payload, int length) {
            try {
                byte[] copy = java.util.Arrays.copyOf(payload, length);
                writeFully(channel, clientFrame(10, copy));
            } catch (IOException ignored) {
                // the connection is going; its close is counted where it is seen
            }
        }

        @Override
        public void close(int code) {
            closeCodes.merge(code, 1, Integer::sum);
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Player p : players) p.channel.close();
        selector.close();
    }
}
