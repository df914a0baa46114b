package dev.tunnelcast.server.transport;

import com.google.protobuf.CodedOutputStream;
import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.server.relay.Refusal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Holds every received message to its canonical encoding: the exact bytes protobuf-java
 * writes for the parsed {@link Envelope} (fields in field-number order, each once, shortest
 * varints, no default values; unknown fields last, in number order). Only such bytes are
 * forwarded, so that what one lenient parser accepted (an over-long length prefix, a
 * repeated field) never reaches a strict one. A size comparison alone is not enough: a
 * negative enum in 5 instead of 10 bytes can pay for 5 over-long bytes elsewhere.
 *
 * <p>Cost: the re-encoding writes the message once, which is the copy into the shared
 * forwarding buffer that the relay makes anyway, plus one vectorised comparison.
 */
final class CanonicalEncoding {

    private CanonicalEncoding() {}

    /**
     * The canonical encoding of {@code envelope}, read-only, off-heap when {@code offHeap}
     * (a buffer that every player's socket write reads without a per-write copy).
     *
     * @param received the bytes {@code envelope} was parsed from
     * @throws Refusal 4400 when {@code received} is not that encoding
     */
    static ByteBuffer of(Envelope envelope, byte[] received, boolean offHeap) throws Refusal {
        int size = envelope.getSerializedSize();
        if (size != received.length) {
            throw notCanonical(received.length, size);
        }
        ByteBuffer canonical = offHeap ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(canonical);
            envelope.writeTo(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: the buffer has the exact size
        }
        canonical.flip();
        if (canonical.mismatch(ByteBuffer.wrap(received)) != -1) {
            throw notCanonical(received.length, size);
        }
        return canonical.asReadOnlyBuffer();
    }

    private static Refusal notCanonical(int receivedBytes, int canonicalBytes) {
        return new Refusal(CloseCode.CLOSE_CODE_BAD_MESSAGE, "not the canonical protobuf encoding (" + receivedBytes
                + " bytes, canonical " + canonicalBytes + "): over-long varints, repeated or out-of-order fields,"
                + " explicit defaults are not forwarded");
    }
}
