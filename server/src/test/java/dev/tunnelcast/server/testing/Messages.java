package dev.tunnelcast.server.testing;

import com.google.protobuf.ByteString;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Hello;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.TrackKind;
import java.util.HexFormat;
import java.util.Random;

/** Builders for the messages tests send. Media payloads are random but reproducible. */
public final class Messages {

    public static final int VIDEO = 1;
    public static final int AUDIO = 2;

    private Messages() {}

    public static Envelope hello(Role role) {
        return hello(role, 1);
    }

    public static Envelope hello(Role role, int version) {
        return Envelope.newBuilder().setHello(Hello.newBuilder().setRole(role).setProtocolVersion(version)
                .setClientName("test").setClientVersion("0")).build();
    }

    /** A publisher's Hello with the room fields (docs/protocol.md, "Rooms"). */
    public static Envelope publisherHello(String displayName, boolean roomEvents, String instanceId) {
        return Envelope.newBuilder().setHello(Hello.newBuilder().setRole(Role.ROLE_PUBLISHER).setProtocolVersion(1)
                .setClientName("test").setClientVersion("0").setDisplayName(displayName).setRoomEvents(roomEvents)
                .setInstanceId(instanceId)).build();
    }

    public static Envelope videoConfig(int trackId) {
        return Envelope.newBuilder().setTrackConfig(TrackConfig.newBuilder().setTrackId(trackId)
                .setKind(TrackKind.TRACK_KIND_VIDEO).setCodec("avc1.42E01F")
                .setDecoderConfig(ByteString.copyFrom(new byte[] {1, 0x42, 0, 0x1f}))
                .setWidth(1280).setHeight(720).setFrameRate(30).setBitrate(2_500_000)).build();
    }

    public static Envelope audioConfig(int trackId) {
        return Envelope.newBuilder().setTrackConfig(TrackConfig.newBuilder().setTrackId(trackId)
                .setKind(TrackKind.TRACK_KIND_AUDIO).setCodec("opus")
                .setDecoderConfig(ByteString.copyFromUtf8("OpusHead"))
                .setSampleRate(48000).setChannels(2).setBitrate(64_000)).build();
    }

    /**
     * An audio TrackConfig whose length prefix is an over-long 10-byte varint: protobuf-java
     * and protobuf-es parse it, upb refuses it as corrupt (issue 13).
     */
    public static byte[] overlongLengthTrackConfig() {
        return HexFormat.of().parseHex("1aa9808080808080808000080210021a046f70757322134f707573486561640102380180bb00000000004080f70248025080f403");
    }

    public static Envelope packet(int trackId, long sequence, boolean keyframe, int payloadBytes) {
        byte[] payload = new byte[payloadBytes];
        new Random(trackId * 1_000_003L + sequence).nextBytes(payload);
        return Envelope.newBuilder().setMediaPacket(MediaPacket.newBuilder().setTrackId(trackId)
                .setSequence(sequence).setPtsMicros(sequence * 33_333).setDurationMicros(33_333)
                .setKeyframe(keyframe).setCaptureTimeMicros(sequence).setPayload(ByteString.copyFrom(payload)))
                .build();
    }
}
