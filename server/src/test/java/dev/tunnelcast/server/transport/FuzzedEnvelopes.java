package dev.tunnelcast.server.transport;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.google.protobuf.ByteString;
import dev.tunnelcast.proto.v1.EndOfStream;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Hello;
import dev.tunnelcast.proto.v1.KeyframeRequest;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.Ping;
import dev.tunnelcast.proto.v1.Pong;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.proto.v1.Status;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.Welcome;
import java.io.ByteArrayOutputStream;

/**
 * Client messages made from fuzzer bytes: mostly well-formed envelopes of every kind (so that
 * the fuzzer gets past parsing into the relay's state), some with a length prefix re-encoded
 * as an over-long varint (valid to lenient parsers, corrupt to strict ones), and raw bytes.
 */
final class FuzzedEnvelopes {

    private FuzzedEnvelopes() {}

    static byte[] next(FuzzedDataProvider data) {
        int form = data.consumeInt(0, 9);
        if (form == 0) {
            return data.consumeBytes(data.consumeInt(0, 300));
        }
        byte[] bytes = envelope(data).toByteArray();
        return form == 1 ? overlongFirstLength(bytes, data.consumeInt(1, 9)) : bytes;
    }

    static Envelope hello(FuzzedDataProvider data, Role usual) {
        boolean odd = data.consumeInt(0, 15) == 0;
        return Envelope.newBuilder().setHello(Hello.newBuilder()
                .setRoleValue(odd ? data.consumeInt(-1, 3) : usual.getNumber())
                .setProtocolVersion(odd ? data.consumeInt() : ClientListener.PROTOCOL_VERSION)
                .setClientName(data.consumeString(8))).build();
    }

    private static Envelope envelope(FuzzedDataProvider data) {
        Envelope.Builder e = Envelope.newBuilder();
        switch (data.consumeInt(0, 9)) {
            case 0 -> e.setHello(hello(data, Role.ROLE_PUBLISHER).getHello());
            case 1, 2 -> e.setTrackConfig(TrackConfig.newBuilder()
                    .setTrackId(data.consumeInt(0, 18))
                    .setKindValue(data.consumeInt(0, 3))
                    .setCodec(data.consumeBoolean() ? "avc1.42E01F" : data.consumeString(70))
                    .setDecoderConfig(ByteString.copyFrom(data.consumeBytes(16)))
                    .setWidth(data.consumeInt(0, 4096)).setHeight(data.consumeInt(0, 4096))
                    .setFrameRate(data.consumeBoolean() ? 30 : data.consumeDouble())
                    .setSampleRate(data.consumeInt(0, 96_000)).setChannels(data.consumeInt(0, 8)));
            case 3, 4, 5 -> e.setMediaPacket(MediaPacket.newBuilder()
                    .setTrackId(data.consumeInt(0, 18))
                    .setSequence(data.consumeBoolean() ? data.consumeInt(0, 40) : data.consumeLong())
                    .setPtsMicros(data.consumeLong())
                    .setKeyframe(data.consumeBoolean())
                    .setPayload(ByteString.copyFrom(data.consumeBytes(data.consumeInt(0, 64)))));
            case 6 -> e.setPing(Ping.newBuilder().setId(data.consumeLong()).setSendTimeMicros(data.consumeLong()));
            case 7 -> e.setPong(Pong.newBuilder().setId(data.consumeLong()));
            case 8 -> e.setEndOfStream(EndOfStream.newBuilder().setReason(data.consumeString(20)));
            default -> {
                switch (data.consumeInt(0, 2)) {
                    case 0 -> e.setWelcome(Welcome.newBuilder().setSessionId(data.consumeString(8)));
                    case 1 -> e.setStatus(Status.newBuilder().setCodeValue(data.consumeInt(0, 6)));
                    default -> e.setKeyframeRequest(KeyframeRequest.newBuilder().setTrackId(data.consumeInt(0, 3)));
                }
            }
        }
        return e.build();
    }

    /**
     * The same message with the length of its first field written {@code padding} bytes longer
     * than needed (e.g. {@code 0x85 0x80 0x00} for 5): protobuf-java reads it, upb rejects it.
     */
    static byte[] overlongFirstLength(byte[] message, int padding) {
        if (message.length < 2 || (message[0] & 0x7) != 2 || (message[1] & 0x80) != 0) {
            return message; // not a length-delimited first field with a one-byte length
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + padding);
        out.write(message[0]);
        out.write(message[1] | 0x80);
        for (int i = 1; i < padding; i++) {
            out.write(0x80);
        }
        out.write(0);
        out.write(message, 2, message.length - 2);
        return out.toByteArray();
    }
}
