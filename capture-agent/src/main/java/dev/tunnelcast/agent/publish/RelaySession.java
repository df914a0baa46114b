package dev.tunnelcast.agent.publish;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tunnelcast.proto.v1.Envelope;
import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The receiving side of one WebSocket connection: reassembles binary messages, parses each
 * as an {@link Envelope} and hands it on; completes {@link #closed()} with the close code
 * (or exceptionally on a transport error).
 */
final class RelaySession implements WebSocket.Listener {

    private final Consumer<Envelope> onEnvelope;
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private volatile String closeReason = "";

    RelaySession(Consumer<Envelope> onEnvelope) {
        this.onEnvelope = onEnvelope;
    }

    CompletableFuture<Integer> closed() {
        return closed;
    }

    String closeReason() {
        return closeReason;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        partial.writeBytes(chunk);
        if (last) {
            byte[] message = partial.toByteArray();
            partial.reset();
            try {
                onEnvelope.accept(Envelope.parseFrom(message));
            } catch (InvalidProtocolBufferException e) {
                closed.completeExceptionally(new IllegalStateException("relay sent an invalid message: " + e.getMessage()));
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        webSocket.request(1); // the protocol has no text messages; ignore
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }
}
