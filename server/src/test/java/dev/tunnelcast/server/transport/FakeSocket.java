package dev.tunnelcast.server.transport;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.server.metrics.RelayMetrics;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.websockets.core.StreamSinkFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSocketFrameType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

/**
 * One client's WebSocket as the relay's code sees it, without the socket: Undertow's channel
 * (the collaborator of {@link Connection} and the player's send queue) is a mock that records
 * every binary message the relay writes and the close code it sends, and runs the work meant
 * for the connection's I/O thread at once, so that a fuzz input plays out on one thread.
 * Made once and {@link #reset} for each input: mocks are slow to make.
 */
final class FakeSocket {

    private final WebSocketChannel channel = stub(WebSocketChannel.class);
    private final List<byte[]> sent = new ArrayList<>();
    private WebSocketFrameType sending;
    private int closeCode = -1;

    FakeSocket() {
        XnioIoThread ioThread = stub(XnioIoThread.class);
        doAnswer(call -> {
            call.<Runnable>getArgument(0).run();
            return null;
        }).when(ioThread).execute(any());
        when(ioThread.executeAfter(any(), anyLong(), any())).thenReturn(stub(XnioExecutor.Key.class));
        StreamSinkFrameChannel frame = stub(StreamSinkFrameChannel.class);
        try {
            when(frame.send(any())).thenAnswer(call -> record(call.getArgument(0)));
            when(frame.flush()).thenReturn(true);
            when(channel.send(any())).thenAnswer(call -> {
                if (closeCode >= 0) {
                    throw new IOException("channel closed"); // as Undertow does once the close frame is sent
                }
                sending = call.getArgument(0);
                return frame;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        when(channel.getIoThread()).thenReturn(ioThread);
        when(channel.isOpen()).thenReturn(true);
        when(channel.isCloseFrameSent()).thenAnswer(call -> closeCode >= 0);
        when(channel.getSourceAddress()).thenReturn(new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000));
    }

    /** A mock that keeps no record of its calls (millions of them in a fuzz run). */
    static <T> T stub(Class<T> type) {
        return mock(type, withSettings().stubOnly());
    }

    /** Forgets what was sent, for the next input. */
    void reset() {
        sent.clear();
        sending = null;
        closeCode = -1;
    }

    Connection connect(RelayMetrics.Role role, String stream, RelayMetrics metrics) {
        return new Connection(channel, role.name().toLowerCase() + "-session", role, stream, metrics);
    }

    private boolean record(PooledByteBuffer message) {
        ByteBuffer buffer = message.getBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        if (sending == WebSocketFrameType.CLOSE) {
            closeCode = bytes.length >= 2 ? (bytes[0] & 0xFF) << 8 | bytes[1] & 0xFF : 1005;
        } else if (sending == WebSocketFrameType.BINARY) {
            sent.add(bytes);
        } else {
            throw new AssertionError("the relay sent a " + sending + " frame");
        }
        return true;
    }

    /** The close code the relay sent, or -1. */
    int closeCode() {
        return closeCode;
    }

    /** Every binary message the relay sent, parsed; a message that does not parse fails. */
    List<Envelope> received() {
        List<Envelope> envelopes = new ArrayList<>(sent.size());
        for (byte[] bytes : sent) {
            try {
                envelopes.add(Envelope.parseFrom(bytes));
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("the relay sent an unparseable message", e);
            }
        }
        return envelopes;
    }

    List<byte[]> sentBytes() {
        return sent;
    }
}
