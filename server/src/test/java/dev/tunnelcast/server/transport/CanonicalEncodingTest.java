package dev.tunnelcast.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedInputStream;
import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.server.relay.Refusal;
import dev.tunnelcast.server.testing.Messages;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Non-canonical encodings that protobuf-java parses are refused; canonical ones pass byte for byte. */
class CanonicalEncodingTest {

    @Test
    void theCanonicalEncodingPassesUnchanged() throws Exception {
        for (Envelope e : new Envelope[] {Messages.videoConfig(1), Messages.audioConfig(2),
                Messages.packet(1, 7, true, 3000), Messages.hello(dev.tunnelcast.proto.v1.Role.ROLE_PLAYER)}) {
            byte[] bytes = e.toByteArray();
            for (boolean offHeap : new boolean[] {true, false}) {
                ByteBuffer out = CanonicalEncoding.of(parse(bytes), bytes, offHeap);
                assertThat(out.isReadOnly()).isTrue();
                assertThat(out.isDirect()).isEqualTo(offHeap);
                assertThat(out).isEqualTo(ByteBuffer.wrap(bytes));
            }
        }
    }

    @Test
    void theIssuesOverlongLengthPrefix() {
        assertRefused(Messages.overlongLengthTrackConfig());
    }

    @Test
    void overlongVarintsInTagsLengthsAndValues() {
        byte[] config = Messages.audioConfig(2).getTrackConfig().toByteArray();
        // Envelope field 3 (track_config): tag 0x1a, then the length.
        assertRefused(concat(bytes(0x9a, 0x00), varint(config.length), config)); // tag 0x1a in 2 bytes
        assertRefused(concat(bytes(0x1a), overlong(config.length, 2), config)); // length in 2 bytes
        // track_id (field 1) = 2 written as 0x82 0x00 instead of 0x02, inside a correct length.
        byte[] inner = concat(bytes(0x08, 0x82, 0x00), Messages.audioConfig(2).getTrackConfig().toBuilder()
                .clearTrackId().build().toByteArray());
        assertRefused(concat(bytes(0x1a), varint(inner.length), inner));
    }

    @Test
    void repeatedFieldsAndExplicitDefaults() {
        byte[] config = Messages.audioConfig(2).getTrackConfig().toByteArray();
        byte[] twice = concat(config, bytes(0x08, 0x02)); // track_id again (last one wins)
        assertRefused(concat(bytes(0x1a), varint(twice.length), twice));
        byte[] withDefault = concat(config, bytes(0x28, 0x00)); // width = 0, the default, written out
        assertRefused(concat(bytes(0x1a), varint(withDefault.length), withDefault));
        // The whole track_config twice: protobuf merges them.
        byte[] field = concat(bytes(0x1a), varint(config.length), config);
        assertRefused(concat(field, field));
    }

    @Test
    void fieldsOutOfOrder() {
        byte[] rest = Messages.audioConfig(2).getTrackConfig().toBuilder().clearTrackId().build().toByteArray();
        byte[] swapped = concat(rest, bytes(0x08, 0x02)); // track_id (field 1) last
        assertRefused(concat(bytes(0x1a), varint(swapped.length), swapped));
    }

    @Test
    void unknownFields() throws Exception {
        byte[] config = Messages.audioConfig(2).getTrackConfig().toByteArray();
        // A canonical unknown field after the known ones (a later schema's addition) passes.
        byte[] later = concat(config, bytes(0xf8, 0x01, 0x05)); // field 31, varint 5
        byte[] accepted = concat(bytes(0x1a), varint(later.length), later);
        assertThat(CanonicalEncoding.of(parse(accepted), accepted, false)).isEqualTo(ByteBuffer.wrap(accepted));
        // ... but not with an over-long varint, nor before the known fields.
        byte[] overlong = concat(config, bytes(0xf8, 0x01, 0x85, 0x00));
        assertRefused(concat(bytes(0x1a), varint(overlong.length), overlong));
        byte[] first = concat(bytes(0xf8, 0x01, 0x05), config);
        assertRefused(concat(bytes(0x1a), varint(first.length), first));
    }

    /** Why the check compares bytes and not only sizes: 5 bytes saved on an enum pay for 5 over-long ones. */
    @Test
    void sameSizeButNotCanonical() throws Exception {
        byte[] rest = Messages.audioConfig(2).getTrackConfig().toBuilder().clearTrackId().clearKind().build().toByteArray();
        // kind = -1 in 5 bytes (canonical: 10), track_id = 2 in 6 bytes (canonical: 1).
        byte[] inner = concat(bytes(0x08), overlong(2, 6), bytes(0x10, 0xff, 0xff, 0xff, 0xff, 0x0f), rest);
        byte[] message = concat(bytes(0x1a), varint(inner.length), inner);
        assertThat(parse(message).getSerializedSize()).isEqualTo(message.length);
        assertRefused(message);
    }

    private static void assertRefused(byte[] message) {
        Envelope parsed = parse(message);
        assertThat(parsed.getKindCase()).isEqualTo(Envelope.KindCase.TRACK_CONFIG); // protobuf-java accepts it
        assertThatThrownBy(() -> CanonicalEncoding.of(parsed, message, true))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.code()).isEqualTo(CloseCode.CLOSE_CODE_BAD_MESSAGE))
                .hasMessageContaining("canonical");
    }

    private static Envelope parse(byte[] message) {
        try {
            CodedInputStream input = CodedInputStream.newInstance(message);
            input.enableAliasing(true);
            return Envelope.parseFrom(input); // as EnvelopeListener parses
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] varint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((value & ~0x7fL) != 0) {
            out.write((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
        return out.toByteArray();
    }

    /** {@code value} (< 128) as a varint of {@code length} bytes. */
    private static byte[] overlong(int value, int length) {
        byte[] out = new byte[length];
        out[0] = (byte) (value | 0x80);
        for (int i = 1; i < length - 1; i++) {
            out[i] = (byte) 0x80;
        }
        out[length - 1] = 0;
        return out;
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
