package dev.tunnelcast.agent;

import com.google.protobuf.ByteString;
import dev.tunnelcast.agent.capture.CaptureFormat;
import dev.tunnelcast.agent.capture.CaptureSink;
import dev.tunnelcast.agent.capture.CaptureTimeline;
import dev.tunnelcast.agent.capture.ClockOverlay;
import dev.tunnelcast.agent.capture.FrameStamp;
import dev.tunnelcast.agent.capture.GrabberSource;
import dev.tunnelcast.agent.capture.RawAudioChunk;
import dev.tunnelcast.agent.capture.RawVideoFrame;
import dev.tunnelcast.agent.capture.Sources;
import dev.tunnelcast.agent.clock.ClockOffsetEstimator;
import dev.tunnelcast.agent.clock.LocalClock;
import dev.tunnelcast.agent.encode.EncodedPacket;
import dev.tunnelcast.agent.encode.OpusAudioEncoder;
import dev.tunnelcast.agent.encode.OpusSettings;
import dev.tunnelcast.agent.encode.SimulcastEncoder;
import dev.tunnelcast.agent.encode.VideoEncoder;
import dev.tunnelcast.agent.encode.VideoEncoders;
import dev.tunnelcast.agent.encode.VideoTrackFormat;
import dev.tunnelcast.agent.publish.MediaSink;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.TrackKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The capture path, wired in one place: sources → (frame stamp and clock on the synthetic
 * source) → video encoder / Opus encoder → {@link MediaPacket}s with per-track sequence
 * numbers → a {@link MediaSink}. Media times: {@code pts} is the local clock minus the
 * pipeline's start (one timeline for audio and video); capture times are the local clock
 * moved to the relay clock by the current offset estimate. Until the first estimate exists
 * (the relay's first Pong) what is captured is dropped and counted, not encoded: its capture
 * time could not be put on the relay clock, and the video then starts at the encoder's first
 * frame, a keyframe. With simulcast layers ({@link AgentConfig#layers()}) the video track is
 * announced once per layer and each picture is encoded on every layer ({@link SimulcastEncoder});
 * the track's one sequence counter numbers the packets of all layers.
 */
public final class CapturePipeline implements CaptureSink, AutoCloseable {

    public static final int VIDEO_TRACK = 1;
    public static final int AUDIO_TRACK = 2;
    private static final long AUDIO_MAX_DRIFT_MICROS = 100_000;

    private final AgentConfig config;
    private final LocalClock clock;
    private final ClockOffsetEstimator offset;
    private final MediaSink sink;
    private final Consumer<Exception> onSourceFailed;
    private final AtomicLong videoSequence = new AtomicLong();
    private final AtomicLong audioSequence = new AtomicLong();
    private final AtomicLong videoFrames = new AtomicLong();
    private final AtomicLong audioPackets = new AtomicLong();
    private final AtomicLong videoFramesBeforeClock = new AtomicLong();
    private final AtomicLong audioChunksBeforeClock = new AtomicLong();
    private final AtomicLong videoPacketsEncoded = new AtomicLong();
    private final AtomicLong videoCaptureToEncodedMicros = new AtomicLong();
    private VideoEncoder videoEncoder;
    private SimulcastEncoder simulcast;
    private OpusAudioEncoder audioEncoder;
    private List<GrabberSource> sources = List.of();
    private long epochLocalMicros;
    private final CaptureTimeline audioTimeline = new CaptureTimeline();
    private long audioSamplesReceived;
    private volatile boolean running;
    // Encoders are native: never encode on a capture thread while close() frees them.
    private final Object videoLock = new Object();
    private final Object audioLock = new Object();

    public CapturePipeline(AgentConfig config, LocalClock clock, ClockOffsetEstimator offset, MediaSink sink,
                           Consumer<Exception> onSourceFailed) {
        this.config = config;
        this.clock = clock;
        this.offset = offset;
        this.sink = sink;
        this.onSourceFailed = onSourceFailed;
    }

    /** Opens encoders, announces the tracks, then opens the sources (a bad device fails here). */
    public void start() {
        boolean hasVideo = config.input() != null || config.video() != null;
        boolean hasAudio = config.input() != null || config.audio() != null;
        try {
            if (hasVideo && config.layers().isEmpty()) {
                videoEncoder = VideoEncoders.open(config.videoEncoder());
            } else if (hasVideo) {
                simulcast = new SimulcastEncoder(config.videoEncoder(), config.layers());
            }
            if (hasAudio) {
                audioEncoder = new OpusAudioEncoder(config.opus());
            }
            sink.onTrackConfigs(trackConfigs());
            epochLocalMicros = clock.nowMicros();
            running = true;
            CaptureFormat format = new CaptureFormat(config.videoEncoder().width(), config.videoEncoder().height(),
                    config.videoEncoder().frameRate(), config.opus().channels());
            sources = Sources.open(config.video(), config.audio(), config.input(), format, clock, this);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public List<TrackConfig> trackConfigs() {
        List<TrackConfig> configs = new ArrayList<>();
        if (videoEncoder != null) {
            configs.add(videoConfig(videoEncoder.format(), videoEncoder.bitrateBps()).build());
        }
        if (simulcast != null) {
            List<VideoTrackFormat> layers = simulcast.formats();
            for (int layer = 0; layer < layers.size(); layer++) {
                VideoTrackFormat f = layers.get(layer);
                configs.add(videoConfig(f, f.bitrateBps()).setLayer(layer).setLayerCount(layers.size()).build());
            }
        }
        if (audioEncoder != null) {
            OpusSettings o = audioEncoder.settings();
            configs.add(TrackConfig.newBuilder().setTrackId(AUDIO_TRACK).setKind(TrackKind.TRACK_KIND_AUDIO)
                    .setCodec("opus").setDecoderConfig(ByteString.copyFrom(audioEncoder.opusHead()))
                    .setSampleRate(OpusSettings.SAMPLE_RATE).setChannels(o.channels()).setBitrate(o.bitrateBps()).build());
        }
        return configs;
    }

    private static TrackConfig.Builder videoConfig(VideoTrackFormat f, int bitrateBps) {
        return TrackConfig.newBuilder().setTrackId(VIDEO_TRACK).setKind(TrackKind.TRACK_KIND_VIDEO)
                .setCodec(f.codec()).setDecoderConfig(ByteString.copyFrom(f.decoderConfig()))
                .setWidth(f.width()).setHeight(f.height()).setFrameRate(f.frameRate()).setBitrate(bitrateBps);
    }

    @Override
    public void onVideo(RawVideoFrame frame) {
        if (!running || (videoEncoder == null && simulcast == null)) {
            return;
        }
        videoFrames.incrementAndGet();
        if (!offset.hasEstimate()) {
            videoFramesBeforeClock.incrementAndGet();
            return;
        }
        long pts = frame.captureLocalMicros() - epochLocalMicros;
        long captureTime = offset.toRelayMicros(frame.captureLocalMicros());
        stamp(frame, captureTime);
        synchronized (videoLock) {
            if (!running) {
                return;
            }
            if (simulcast == null) {
                videoEncoder.encode(frame, pts, captureTime).forEach(p -> sendVideo(p, 0));
                return;
            }
            for (SimulcastEncoder.LayerPackets layer : simulcast.encode(frame, pts, captureTime, f -> stamp(f, captureTime))) {
                layer.packets().forEach(p -> sendVideo(p, layer.layer()));
            }
        }
    }

    /** Draws the frame stamp and clock (each simulcast layer gets its own, sharp at its size). */
    private void stamp(RawVideoFrame frame, long captureTime) {
        if (config.stampFrames() && FrameStamp.fits(frame.width(), frame.height())) {
            FrameStamp.draw(frame.i420(), frame.width(), frame.height(), captureTime);
            ClockOverlay.draw(frame.i420(), frame.width(), frame.height(), captureTime);
        }
    }

    private void sendVideo(EncodedPacket p, int layer) {
        videoCaptureToEncodedMicros.addAndGet(offset.toRelayMicros(clock.nowMicros()) - p.captureTimeMicros());
        videoPacketsEncoded.incrementAndGet();
        sink.onMedia(packet(VIDEO_TRACK, videoSequence.getAndIncrement(), p).setLayer(layer).build());
    }

    /**
     * Audio pts stay continuous (one Opus frame after the other, so players never see gaps or
     * overlaps); the start of the timeline is the first chunk's start. Capture times are
     * corrected separately: the chunk start is estimated from the chunks' starts with a
     * min-delay {@link CaptureTimeline}, and when the continuous timeline runs later than
     * that estimate (the first chunk was delayed), the difference is taken off the capture times.
     */
    @Override
    public void onAudio(RawAudioChunk chunk) {
        if (!running || audioEncoder == null) {
            return;
        }
        synchronized (audioLock) {
            if (running) {
                encodeAudio(chunk);
            }
        }
    }

    private void encodeAudio(RawAudioChunk chunk) {
        long sourceMicros = audioSamplesReceived * 1_000_000L / chunk.sampleRate();
        audioSamplesReceived += chunk.frames();
        long chunkStartLocal = audioTimeline.captureLocalMicros(sourceMicros, chunk.startLocalMicros());
        if (!offset.hasEstimate()) {
            audioChunksBeforeClock.incrementAndGet();
            return;
        }
        long chunkStartPts = chunkStartLocal - epochLocalMicros;
        long expected = audioEncoder.nextSamplePtsMicros();
        long lag = expected == Long.MIN_VALUE || Math.abs(chunkStartPts - expected) > AUDIO_MAX_DRIFT_MICROS
                ? 0 : Math.min(0, chunkStartPts - expected);
        for (EncodedPacket p : audioEncoder.encode(chunk.samples(), chunkStartPts, AUDIO_MAX_DRIFT_MICROS,
                pts -> offset.toRelayMicros(pts + lag + epochLocalMicros))) {
            audioPackets.incrementAndGet();
            sink.onMedia(packet(AUDIO_TRACK, audioSequence.getAndIncrement(), p).build());
        }
    }

    private static MediaPacket.Builder packet(int track, long sequence, EncodedPacket p) {
        return MediaPacket.newBuilder().setTrackId(track).setSequence(sequence).setPtsMicros(p.ptsMicros())
                .setDurationMicros((int) p.durationMicros()).setKeyframe(p.keyframe())
                .setCaptureTimeMicros(p.captureTimeMicros()).setPayload(ByteString.copyFrom(p.payload()));
    }

    @Override
    public void onSourceFailed(String source, Exception error) {
        onSourceFailed.accept(new IllegalStateException("source " + source + " failed: " + error.getMessage(), error));
    }

    /** A keyframe on the video track: on every layer of a simulcast track, at the same picture. */
    public void requestKeyframe() {
        if (videoEncoder != null) {
            videoEncoder.requestKeyframe();
        }
        if (simulcast != null) {
            simulcast.requestKeyframe();
        }
    }

    /** The video's target bitrate (with simulcast: its layers' summed). */
    public int videoBitrateBps() {
        return videoEncoder != null ? videoEncoder.bitrateBps() : simulcast != null ? simulcast.bitrateBps() : 0;
    }

    public void setVideoBitrate(int bps) {
        if (videoEncoder != null) {
            videoEncoder.setBitrate(bps);
        }
    }

    public long videoFramesCaptured() {
        return videoFrames.get();
    }

    /** Video packets encoded, and their capture → encoded times summed: a latency report takes the mean between two looks. */
    public StageTime videoCaptureToEncoded() {
        return new StageTime(videoPacketsEncoded.get(), videoCaptureToEncodedMicros.get());
    }

    public long audioPacketsEncoded() {
        return audioPackets.get();
    }

    /** Video frames captured before the first clock estimate, dropped unencoded. */
    public long videoFramesBeforeClock() {
        return videoFramesBeforeClock.get();
    }

    /** Audio chunks captured before the first clock estimate, dropped unencoded. */
    public long audioChunksBeforeClock() {
        return audioChunksBeforeClock.get();
    }

    @Override
    public void close() {
        running = false;
        sources.forEach(GrabberSource::close);
        sources = List.of();
        synchronized (videoLock) {
            if (videoEncoder != null) {
                videoEncoder.close();
            }
            if (simulcast != null) {
                simulcast.close();
            }
        }
        synchronized (audioLock) {
            if (audioEncoder != null) {
                audioEncoder.close();
            }
        }
    }
}
