package dev.tunnelcast.e2e;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real TCP hop on loopback to a WebSocket server that loses the server's messages for a
 * while: it passes the opening handshake and the server's first binary message (the relay's
 * Welcome), then discards the server's binary messages until {@link #open()}. Control frames
 * (Close) always pass; the client's bytes always pass. So a client gets in, but none of its
 * Pings is answered until the gate opens.
 */
final class FrameGate implements AutoCloseable {

    private static final int OPCODE_CONTINUATION = 0;
    private static final int OPCODE_BINARY = 2;

    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new ArrayList<>();
    private final AtomicLong discarded = new AtomicLong();
    private volatile boolean open;
    private volatile boolean closed;

    private FrameGate(int targetPort) throws IOException {
        this.targetPort = targetPort;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(this::acceptLoop, "frame-gate-accept");
        t.setDaemon(true);
        t.start();
    }

    static FrameGate start(int targetPort) throws IOException {
        return new FrameGate(targetPort);
    }

    int port() {
        return server.getLocalPort();
    }

    /** From now on the server's messages pass. */
    void open() {
        open = true;
    }

    long discardedMessages() {
        return discarded.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                target.setTcpNoDelay(true);
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(target);
                }
                daemon("frame-gate-up", () -> client.getInputStream().transferTo(target.getOutputStream()), client, target);
                daemon("frame-gate-down", () -> gate(target.getInputStream(), client.getOutputStream()), client, target);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private interface Pump {
        void run() throws IOException;
    }

    private static void daemon(String name, Pump pump, Socket a, Socket b) {
        Thread t = new Thread(() -> {
            try {
                pump.run();
            } catch (IOException ignored) {
                // one side went away: so does the hop
            } finally {
                closeQuietly(a);
                closeQuietly(b);
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    private void gate(InputStream from, OutputStream to) throws IOException {
        DataInputStream in = new DataInputStream(from);
        to.write(httpHeader(in));
        to.flush();
        boolean first = true;
        while (true) {
            byte[] frame = frame(in);
            int opcode = frame[0] & 0x0F;
            boolean message = opcode == OPCODE_BINARY || opcode == OPCODE_CONTINUATION;
            if (!message || first || open) {
                to.write(frame);
                to.flush();
            } else {
                discarded.incrementAndGet();
            }
            first &= !message;
        }
    }

    /** The server's handshake response, up to and including the empty line. */
    private static byte[] httpHeader(DataInputStream in) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            byte b = in.readByte();
            header.write(b);
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        return header.toByteArray();
    }

    /** One whole WebSocket frame (RFC 6455 §5.2), header included. */
    private static byte[] frame(DataInputStream in) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        frame.write(b0);
        frame.write(b1);
        long length = b1 & 0x7F;
        int extended = length == 126 ? 2 : length == 127 ? 8 : 0;
        if (extended > 0) {
            length = 0;
            for (int i = 0; i < extended; i++) {
                int b = in.readUnsignedByte();
                frame.write(b);
                length = length << 8 | b;
            }
        }
        int mask = (b1 & 0x80) != 0 ? 4 : 0;
        byte[] rest = new byte[Math.toIntExact(mask + length)];
        in.readFully(rest);
        frame.write(rest);
        return frame.toByteArray();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        synchronized (sockets) {
            sockets.forEach(FrameGate::closeQuietly);
        }
    }
}
