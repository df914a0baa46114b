package dev.tunnelcast.bench.fanout;

import com.google.protobuf.ByteString;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Hello;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.TrackKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes a synthetic stream (random payload of realistic sizes, real wire framing) paced
 * in real time, stamping every packet's capture time with {@link BenchClock}: the
 * subscribers measure publisher-send to subscriber-receive latency on the same clock.
 */
public final class SyntheticPublisher implements AutoCloseable {
    static final int VIDEO_TRACK = 1;
    static final int AUDIO_TRACK = 2;

    private final StreamProfile profile;
    private final WebSocket socket;
    private final Thread pacer;
    private final byte[] randomBytes;
    private final AtomicLong videoSequence = new AtomicLong();
    private final AtomicLong audioSequence = new AtomicLong();
    private volatile boolean sending = true;
    private volatile boolean running = true;

    public SyntheticPublisher(URI publishUri, StreamProfile profile) throws Exception {
        this.profile = profile;
        this.randomBytes = new byte[profile.keyframeBytes() + 64];
        new Random(42).nextBytes(randomBytes);
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(publishUri, new DiscardingListener()).get(10, TimeUnit.SECONDS);
        send(Envelope.newBuilder().setHello(Hello.newBuilder().setRole(Role.ROLE_PUBLISHER)
                .setProtocolVersion(1).setClientName("tunnelcast-bench").setClientVersion("1")).build());
        send(Envelope.newBuilder().setTrackConfig(TrackConfig.newBuilder().setTrackId(VIDEO_TRACK)
                .setKind(TrackKind.TRACK_KIND_VIDEO).setCodec("avc1.42E01F")
                .setDecoderConfig(ByteString.copyFrom(new byte[] {1, 0x42, (byte) 0xE0, 0x1F, (byte) 0xFF, (byte) 0xE0, 0}))
                .setWidth(1280).setHeight(720).setFrameRate(profile.framesPerSecond())
                .setBitrate(profile.videoBitsPerSecond())).build());
        send(Envelope.newBuilder().setTrackConfig(TrackConfig.newBuilder().setTrackId(AUDIO_TRACK)
                .setKind(TrackKind.TRACK_KIND_AUDIO).setCodec("opus")
                .setDecoderConfig(ByteString.copyFromUtf8("OpusHead"))
                .setSampleRate(48_000).setChannels(1).setBitrate(64_000)).build());
        this.pacer = new Thread(this::pace, "bench-publisher");
        pacer.setDaemon(true);
        pacer.start();
    }

    /** The next video sequence number that will be sent. */
    StreamProfile profile() { return profile; }

    long nextVideoSequence() { return videoSequence.get(); }

    long nextAudioSequence() { return audioSequence.get(); }

    /** Stops sending media (the connection stays open, so players are not told "offline"). */
    void stopSending() { sending = false; }

    private void pace() {
        long start = System.nanoTime();
        long videoIntervalNanos = 1_000_000_000L / profile.framesPerSecond();
        long audioIntervalNanos = 1_000_000_000L / profile.audioPacketsPerSecond();
        long nextVideo = start;
        long nextAudio = start;
        while (running) {
            long now = System.nanoTime();
            if (sending && now >= nextVideo) {
                sendVideo();
                nextVideo += videoIntervalNanos;
            }
            if (sending && now >= nextAudio) {
                sendAudio();
                nextAudio += audioIntervalNanos;
            }
            long sleep = Math.min(nextVideo, nextAudio) - System.nanoTime();
            if (sleep > 0) LockSupport.parkNanos(sleep);
        }
    }

    private void sendVideo() {
        long sequence = videoSequence.get();
        boolean keyframe = sequence % profile.keyframeIntervalFrames() == 0;
        int size = keyframe ? profile.keyframeBytes() : profile.deltaFrameBytes();
        send(media(VIDEO_TRACK, sequence, keyframe, size, 1_000_000 / profile.framesPerSecond()));
        videoSequence.incrementAndGet();
    }

    private void sendAudio() {
        long sequence = audioSequence.get();
        send(media(AUDIO_TRACK, sequence, true, profile.audioPacketBytes(), 20_000));
        audioSequence.incrementAndGet();
    }

    private Envelope media(int track, long sequence, boolean keyframe, int size, int durationMicros) {
        long now = BenchClock.nowMicros();
        return Envelope.newBuilder().setMediaPacket(MediaPacket.newBuilder().setTrackId(track)
                .setSequence(sequence).setPtsMicros(sequence * durationMicros).setDurationMicros(durationMicros)
                .setKeyframe(keyframe).setCaptureTimeMicros(now)
                .setPayload(ByteString.copyFrom(randomBytes, (int) (sequence % 64), size))).build();
    }

    private void send(Envelope envelope) {
        // The JDK client allows one outstanding send: wait for it (loopback, so this is short).
        socket.sendBinary(ByteBuffer.wrap(envelope.toByteArray()), true).join();
    }

    @Override
    public void close() {
        running = false;
        try {
            pacer.join(2000);
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bench done").get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            socket.abort();
        }
    }

    private static final class DiscardingListener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return CompletableFuture.completedFuture(null);
        }
    }
}
