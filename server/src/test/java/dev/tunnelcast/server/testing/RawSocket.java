package dev.tunnelcast.server.testing;

import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.server.Relay;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A plain TCP connection to a relay on loopback, for what real clients never send: partial
 * request headers, unsupported WebSocket versions, frame headers without their payload.
 * Every read waits at most the given deadline, so a test fails rather than hangs.
 */
public final class RawSocket implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    public RawSocket(Relay relay, Duration readDeadline) {
        this(relay.port(), readDeadline);
    }

    /** A connection to {@code port} on loopback (a relay's TLS port, for a client that never starts its handshake). */
    public RawSocket(int port, Duration readDeadline) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout((int) readDeadline.toMillis());
            out = socket.getOutputStream();
            in = new DataInputStream(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code bytes}; false when the relay has closed the connection. */
    public boolean write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public boolean write(String ascii) {
        return write(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    /** A WebSocket upgrade request (version 13 unless told) for {@code path}, without reading the answer. */
    public static String upgradeRequest(String path, String version) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: " + version + "\r\n\r\n";
    }

    /** The response head (status line and headers), as text. */
    public String readResponseHead() {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                head.write(in.readUnsignedByte());
            }
        } catch (IOException e) {
            throw new AssertionError("no complete response head; got: " + head.toString(StandardCharsets.ISO_8859_1), e);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Exactly {@code length} bytes (a response body whose Content-Length the head gave). */
    public byte[] readBytes(int length) {
        try {
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            return bytes;
        } catch (IOException e) {
            throw new AssertionError("fewer than " + length + " bytes before the end", e);
        }
    }

    /** Upgrades to a WebSocket on {@code path} and returns the 101 response head. */
    public String upgrade(String path) {
        write(upgradeRequest(path, "13"));
        String head = readResponseHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new AssertionError("expected 101, got " + head);
        }
        return head;
    }

    /** One client frame (masked, as RFC 6455 requires) with the whole payload. */
    public boolean sendBinary(Envelope envelope) {
        byte[] payload = envelope.toByteArray();
        byte[] mask = {1, 2, 3, 4};
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(frameHeader(payload.length, mask));
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return write(frame.toByteArray());
    }

    /** One server frame: its opcode (RFC 6455: 0x2 binary, 0x8 close, 0x9 ping, 0xA pong) and payload. */
    public record Frame(int opcode, byte[] payload) {}

    /** The next server frame; fails after the read deadline, null when the connection ends. */
    public Frame readFrame() {
        try {
            int opcode = in.readUnsignedByte() & 0x0f;
            long length = in.readUnsignedByte() & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            return new Frame(opcode, payload);
        } catch (EOFException e) {
            return null;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no frame within the deadline", e);
        } catch (IOException e) {
            return null;
        }
    }

    /** A pong frame (masked) echoing {@code payload}, as a WebSocket client answers a ping. */
    public boolean sendPong(byte[] payload) {
        byte[] mask = {5, 6, 7, 8};
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x8A);
        frame.write(0x80 | payload.length);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return write(frame.toByteArray());
    }

    /** The header of a final binary frame announcing {@code length} payload bytes. */
    public static byte[] frameHeader(long length, byte[] mask) {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write(0x82);
        if (length < 126) {
            header.write(0x80 | (int) length);
        } else if (length < 65536) {
            header.write(0x80 | 126);
            header.write((int) (length >>> 8));
            header.write((int) length);
        } else {
            header.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                header.write((int) (length >>> shift));
            }
        }
        header.writeBytes(mask);
        return header.toByteArray();
    }

    /**
     * Reads server frames until a close frame and returns its status code, skipping other
     * frames; -1 when the connection ends without one.
     */
    public int awaitCloseCode() {
        for (Frame frame = readFrame(); frame != null; frame = readFrame()) {
            if (frame.opcode() == 0x8) {
                byte[] payload = frame.payload();
                return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
            }
        }
        return -1;
    }

    /** True once the relay has closed the connection (end of stream, or reset); fails after the deadline. */
    public boolean awaitClosedByRelay() {
        InputStream raw = in;
        try {
            while (raw.read() != -1) {
                // discard whatever the relay still sends
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
