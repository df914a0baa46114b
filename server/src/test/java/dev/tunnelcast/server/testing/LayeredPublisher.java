package dev.tunnelcast.server.testing;

import static dev.tunnelcast.server.testing.Messages.AUDIO;
import static dev.tunnelcast.server.testing.Messages.VIDEO;

import com.google.protobuf.ByteString;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.TrackKind;
import java.util.Random;

/**
 * A publisher of a 3-layer simulcast video track (720p, 360p, 180p; 24, 6 and 2 KiB a frame)
 * and audio, one audio packet a frame, the layers' keyframes aligned every {@value #GOP_FRAMES}
 * frames; the track's sequence counts all layers.
 */
public final class LayeredPublisher {

    public static final long FRAME_MICROS = 33_333;
    public static final int GOP_FRAMES = 10;
    private static final int[] HEIGHTS = {720, 360, 180};
    private static final int[] PAYLOAD_BYTES = {24 * 1024, 6 * 1024, 2 * 1024};

    private final WsClient client;
    private int frame;
    private long sequence;

    /** Announces the layers and the audio track on {@code client}, a publisher past Welcome. */
    public LayeredPublisher(WsClient client) {
        this.client = client;
        for (int layer = 0; layer < HEIGHTS.length; layer++) {
            client.send(Envelope.newBuilder().setTrackConfig(TrackConfig.newBuilder().setTrackId(VIDEO)
                    .setKind(TrackKind.TRACK_KIND_VIDEO).setCodec("avc1.42E01F")
                    .setDecoderConfig(ByteString.copyFrom(new byte[] {1, 0x42, 0, 0x1f}))
                    .setWidth(HEIGHTS[layer] * 16 / 9).setHeight(HEIGHTS[layer]).setFrameRate(30)
                    .setLayer(layer).setLayerCount(HEIGHTS.length)).build());
        }
        client.send(Messages.audioConfig(AUDIO));
    }

    public WsClient client() {
        return client;
    }

    /** Frames sent so far. */
    public int frames() {
        return frame;
    }

    /** Sends {@code n} frames of every layer, and audio, about 3 ms apart. */
    public void frames(int n) throws InterruptedException {
        for (int i = 0; i < n; i++, frame++) {
            for (int layer = 0; layer < HEIGHTS.length; layer++) {
                byte[] payload = new byte[PAYLOAD_BYTES[layer]];
                new Random(sequence).nextBytes(payload);
                client.send(Envelope.newBuilder().setMediaPacket(MediaPacket.newBuilder().setTrackId(VIDEO)
                        .setSequence(sequence++).setPtsMicros(frame * FRAME_MICROS).setDurationMicros((int) FRAME_MICROS)
                        .setKeyframe(frame % GOP_FRAMES == 0).setCaptureTimeMicros(1).setLayer(layer)
                        .setPayload(ByteString.copyFrom(payload))).build());
            }
            client.send(Messages.packet(AUDIO, frame, false, 120));
            Thread.sleep(3);
        }
    }
}
