package dev.tunnelcast.bench.archive;

import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Hello;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.proto.v1.TrackConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One publisher on its own thread: sends {@link EncodedMedia} over a real WebSocket at real
 * time, looping it (pts keep increasing) until closed.
 */
final class MediaPublisher implements AutoCloseable {

    private final WebSocket socket;
    private final Thread thread;
    private final AtomicLong packetsSent = new AtomicLong();
    private volatile boolean running = true;
    private volatile Exception failure;

    MediaPublisher(HttpClient http, URI uri, EncodedMedia media, String name) throws Exception {
        CompletableFuture<Void> welcome = new CompletableFuture<>();
        socket = http.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                welcome.complete(null); // the relay's first answer is Welcome (or a refusal, then close)
                ws.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        send(Envelope.newBuilder().setHello(Hello.newBuilder().setRole(Role.ROLE_PUBLISHER).setProtocolVersion(1)
                .setClientName(name)).build());
        welcome.get(10, TimeUnit.SECONDS);
        for (TrackConfig track : media.tracks()) {
            send(Envelope.newBuilder().setTrackConfig(track).build());
        }
        thread = new Thread(() -> run(media), name);
        thread.setDaemon(true);
        thread.start();
    }

    private void run(EncodedMedia media) {
        long loopMicros = media.durationMicros();
        long firstPts = media.packets().get(0).getPtsMicros();
        long start = System.nanoTime();
        try {
            for (long loop = 0; running; loop++) {
                for (MediaPacket p : media.packets()) {
                    long offset = loop * loopMicros;
                    long wait = start + (p.getPtsMicros() - firstPts + offset) * 1000 - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (!running) {
                        return;
                    }
                    send(Envelope.newBuilder().setMediaPacket(p.toBuilder().setPtsMicros(p.getPtsMicros() + offset)
                            .setSequence(p.getSequence() + loop * media.packets().size())).build());
                    packetsSent.incrementAndGet();
                }
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    private void send(Envelope envelope) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(envelope.toByteArray()), true).get(10, TimeUnit.SECONDS);
    }

    long packetsSent() {
        return packetsSent.get();
    }

    void check() throws IOException {
        if (failure != null) {
            throw new IOException("publisher " + thread.getName() + " failed", failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
        socket.abort();
    }
}
