package dev.tunnelcast.agent.capture;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;

import dev.tunnelcast.agent.clock.LocalClock;
import java.nio.ShortBuffer;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FFmpeg input (device, file, URL or lavfi graph) read on its own thread by JavaCV's
 * grabber, converted to I420 at the pipeline's size and to 48 kHz 16-bit PCM, and handed
 * to a {@link CaptureSink}. Files are paced by their timestamps and looped; devices,
 * network streams and lavfi graphs (which end in {@code realtime}) pace themselves.
 */
public final class GrabberSource implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GrabberSource.class);

    private final String name;
    private final FFmpegFrameGrabber grabber;
    private final boolean wantVideo;
    private final boolean wantAudio;
    private final boolean fileMode;
    /** Chunks come when their first sample is due (a paced file, a lavfi graph ending in realtime), not their last. */
    private final boolean pacedAtChunkStart;
    private final CaptureFormat format;
    private final LocalClock clock;
    private final CaptureSink sink;
    private Thread thread;
    private volatile boolean running;
    private long paceStartLocalMicros = -1;
    private long paceFirstTimestampMicros;
    private long loopOffsetMicros;
    private long lastTimestampMicros;
    private final CaptureTimeline videoTimeline = new CaptureTimeline();

    GrabberSource(String name, FFmpegFrameGrabber grabber, boolean wantVideo, boolean wantAudio, boolean fileMode,
                  boolean pacedAtChunkStart, CaptureFormat format, LocalClock clock, CaptureSink sink) {
        this.name = name;
        this.grabber = grabber;
        this.wantVideo = wantVideo;
        this.wantAudio = wantAudio;
        this.fileMode = fileMode;
        this.pacedAtChunkStart = pacedAtChunkStart;
        this.format = format;
        this.clock = clock;
        this.sink = sink;
        if (wantVideo) {
            grabber.setPixelFormat(AV_PIX_FMT_YUV420P);
            grabber.setImageWidth(format.width());
            grabber.setImageHeight(format.height());
        }
        if (wantAudio) {
            grabber.setSampleFormat(AV_SAMPLE_FMT_S16);
            grabber.setSampleRate(CaptureFormat.SAMPLE_RATE);
            grabber.setAudioChannels(format.audioChannels());
        }
    }

    public String name() {
        return name;
    }

    /** Opens the input (so a missing device fails here, synchronously) and starts reading. */
    public void start() throws FFmpegFrameGrabber.Exception {
        grabber.start();
        running = true;
        thread = new Thread(this::run, "capture-" + name);
        thread.setDaemon(true);
        thread.start();
        log.info("Capturing {} ({}{})", name, wantVideo ? "video " + grabber.getImageWidth() + "x"
                + grabber.getImageHeight() : "", wantAudio ? (wantVideo ? " + " : "") + "audio" : "");
    }

    private void run() {
        try {
            while (running) {
                Frame frame = wantVideo && !wantAudio ? grabber.grabImage()
                        : wantAudio && !wantVideo ? grabber.grabSamples() : grabber.grabFrame(wantAudio, wantVideo, true, false, true);
                if (frame == null) {
                    if (!fileMode || !running) {
                        throw new IllegalStateException("input ended");
                    }
                    loopOffsetMicros = lastTimestampMicros + 1;
                    grabber.restart();
                    continue;
                }
                if (fileMode) {
                    pace(frame.timestamp);
                }
                long now = clock.nowMicros();
                if (frame.image != null && wantVideo) {
                    sink.onVideo(toI420(frame, videoTimeline.captureLocalMicros(frame.timestamp, now)));
                } else if (frame.samples != null && wantAudio) {
                    sink.onAudio(toPcm(frame, now));
                }
            }
        } catch (Exception e) {
            if (running) {
                log.error("Capture from {} failed: {}", name, e.toString());
                sink.onSourceFailed(name, e);
            }
        }
    }

    private void pace(long frameTimestampMicros) throws InterruptedException {
        long ts = loopOffsetMicros + frameTimestampMicros;
        lastTimestampMicros = Math.max(lastTimestampMicros, ts);
        if (paceStartLocalMicros < 0) {
            paceStartLocalMicros = clock.nowMicros();
            paceFirstTimestampMicros = ts;
        }
        long due = paceStartLocalMicros + (ts - paceFirstTimestampMicros);
        long wait = due - clock.nowMicros();
        if (wait > 0) {
            TimeUnit.MICROSECONDS.sleep(wait);
        }
    }

    private RawVideoFrame toI420(Frame frame, long now) {
        if (!(frame.opaque instanceof AVFrame picture)) {
            throw new IllegalStateException("the grabber gave no AVFrame for a picture");
        }
        return RawVideoFrame.copyOf(picture, now);
    }

    private RawAudioChunk toPcm(Frame frame, long now) {
        ShortBuffer buf = ((ShortBuffer) frame.samples[0]).duplicate();
        buf.rewind();
        short[] samples = new short[buf.remaining()];
        buf.get(samples);
        RawAudioChunk chunk = new RawAudioChunk(samples, frame.audioChannels, frame.sampleRate, now);
        return pacedAtChunkStart ? chunk : chunk.startingAt(now - chunk.durationMicros());
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            grabber.close();
        } catch (Exception e) {
            log.debug("closing {}: {}", name, e.toString());
        }
    }
}
