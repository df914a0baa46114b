package dev.tunnelcast.server.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tunnelcast.proto.v1.Envelope;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A real WebSocket client for tests (the JDK's {@link WebSocket}): collects every binary
 * message with its exact bytes, records the close code, and can stop reading
 * ({@link #pause()}) so that the relay sees a slow consumer.
 */
public final class WsClient implements WebSocket.Listener, AutoCloseable {

    /** One received message: its exact bytes and what they decode to. */
    public record Received(byte[] bytes, Envelope envelope) {}

    /** How the connection ended; code 1006 when it was cut without a close frame. */
    public record Closed(int code, String reason) {}

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private volatile boolean paused;
    private volatile boolean demandOwed;
    private WebSocket socket;

    public static WsClient connect(URI uri) {
        return connect(HttpClient.newHttpClient(), uri);
    }

    public static WsClient connect(HttpClient http, URI uri) {
        return connect(http, uri, new String[0]);
    }

    /** With handshake headers as name/value pairs ("Authorization", "Bearer …"). */
    public static WsClient connect(URI uri, String... headers) {
        return connect(HttpClient.newHttpClient(), uri, headers);
    }

    private static WsClient connect(HttpClient http, URI uri, String[] headers) {
        WsClient client = new WsClient();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(TIMEOUT);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        client.socket = builder.buildAsync(uri, client).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        return client;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public synchronized CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        partial.writeBytes(chunk);
        if (last) {
            byte[] bytes = partial.toByteArray();
            partial.reset();
            try {
                messages.add(new Received(bytes, Envelope.parseFrom(bytes)));
            } catch (InvalidProtocolBufferException e) {
                closed.completeExceptionally(new AssertionError("relay sent an invalid Envelope", e));
            }
        }
        requestMore(webSocket);
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        closed.completeExceptionally(new AssertionError("relay sent a text frame: " + data));
        requestMore(webSocket);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(new Closed(1006, String.valueOf(error)));
    }

    private void requestMore(WebSocket webSocket) {
        if (paused) {
            demandOwed = true;
        } else {
            webSocket.request(1);
        }
    }

    /** Stops reading: the relay's writes back up into its queue for this player. */
    public void pause() {
        paused = true;
    }

    /** Reads again. */
    public void resume() {
        paused = false;
        if (demandOwed) {
            demandOwed = false;
            socket.request(1);
        }
    }

    public void send(Envelope envelope) {
        sendBytes(envelope.toByteArray());
    }

    public void sendBytes(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    public void sendText(String text) {
        socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** The next message, failing after the default timeout. */
    public Received next() {
        return next(TIMEOUT);
    }

    public Received next(Duration timeout) {
        try {
            Received r = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (r == null) {
                throw new AssertionError("no message within " + timeout + (closed.isDone() ? "; closed: " + closed.getNow(null) : ""));
            }
            return r;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The next message whose envelope matches, skipping others. */
    public Envelope nextMatching(Predicate<Envelope> predicate) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Received r = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (predicate.test(r.envelope())) {
                return r.envelope();
            }
        }
        throw new AssertionError("no matching message within " + TIMEOUT);
    }

    public Envelope nextOf(Envelope.KindCase kind) {
        return nextMatching(e -> e.getKindCase() == kind);
    }

    /** Every message until none arrives for half a second. */
    public List<Received> nextUntilQuiet() {
        List<Received> out = new ArrayList<>();
        try {
            for (Received r; (r = messages.poll(500, TimeUnit.MILLISECONDS)) != null; ) {
                out.add(r);
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    /** Messages received so far and not yet taken. */
    public List<Received> drain() {
        List<Received> out = new ArrayList<>();
        messages.drainTo(out);
        return out;
    }

    /** Waits for the close and returns it; messages received before it stay available. */
    public Closed awaitClose() {
        return awaitClose(TIMEOUT);
    }

    public Closed awaitClose(Duration timeout) {
        return closed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /**
     * Waits for the connection to end, probing it as a real client's heartbeat does: a Ping
     * every {@code probeEvery} while nothing has ended it. A relay killed with SIGKILL closes its
     * sockets, yet this client once reported nothing for 60 s (ClusterTest beside a CPU hog); a
     * write to the dead peer fails, and the connection is over (1006), as the players' and the
     * agent's pings find it.
     */
    public Closed awaitCloseProbing(Duration timeout, Duration probeEvery) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            try {
                return closed.get(Math.max(0, Math.min(left, probeEvery.toNanos())), TimeUnit.NANOSECONDS);
            } catch (TimeoutException notYet) {
                if (left <= probeEvery.toNanos()) {
                    throw new AssertionError("connection not ended within " + timeout, notYet);
                }
                try {
                    socket.sendPing(ByteBuffer.allocate(0)).whenComplete((ws, error) -> {
                        if (error != null) {
                            closed.complete(new Closed(1006, "ping failed: " + error));
                        }
                    });
                } catch (IllegalStateException previousPingPending) {
                    // the last probe is still being written: the next round tries again
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            } catch (ExecutionException e) {
                throw new AssertionError(e.getCause());
            }
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /**
     * Closes cleanly: sends a close frame and waits for the relay's answer (the close
     * handshake completed, as a browser's {@code onclose} sees it), then drops the socket.
     */
    public Closed closeAndAwait() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(10, TimeUnit.SECONDS).join();
        Closed answer = awaitClose();
        socket.abort();
        return answer;
    }

    /** Drops the connection without a close frame, as a vanished client does (the relay sees the TCP connection end). */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}
