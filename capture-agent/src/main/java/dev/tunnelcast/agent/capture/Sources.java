package dev.tunnelcast.agent.capture;

import dev.tunnelcast.agent.clock.LocalClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegLogCallback;

/**
 * Opens the sources the user named: a video source, an audio source, or one input that
 * carries both. Failures become {@link CaptureException}s that name the source and what
 * this machine has instead.
 */
public final class Sources {

    static {
        FFmpegLogCallback.setLevel(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
    }

    private Sources() {}

    /** The synthetic camera: a moving test pattern, paced in real time by lavfi. */
    public static String syntheticVideoGraph(CaptureFormat f) {
        return "testsrc2=size=" + f.width() + "x" + f.height() + ":rate=" + f.frameRate() + ",format=yuv420p,realtime";
    }

    /**
     * The synthetic microphone: a 440 Hz tone with a 4x higher beep at the start of every second.
     * Delivered in 10 ms chunks, a divisor of every Opus frame (10/20/40/60 ms), so each Opus
     * frame leaves as soon as its last sample is in. lavfi's default, 1024 samples (21.3 ms),
     * beats against 20 ms frames: every 15th chunk completes two frames at once, which put
     * ~21 ms of arrival jitter on the audio and raised every player's jitter buffer by as much.
     */
    public static String syntheticAudioGraph() {
        return "sine=frequency=440:beep_factor=4:sample_rate=" + CaptureFormat.SAMPLE_RATE
                + ":samples_per_frame=" + SYNTHETIC_AUDIO_CHUNK_SAMPLES + ",volume=0.5,arealtime";
    }

    /** Samples per chunk of the synthetic microphone (10 ms at 48 kHz). */
    public static final int SYNTHETIC_AUDIO_CHUNK_SAMPLES = CaptureFormat.SAMPLE_RATE / 100;

    /**
     * Opens and starts the sources. {@code video} and {@code audio} may be null (no such
     * track); {@code input} (a file or URL with both) replaces them when not null.
     */
    public static List<GrabberSource> open(SourceSpec video, SourceSpec audio, SourceSpec input, CaptureFormat format,
                                           LocalClock clock, CaptureSink sink) {
        List<GrabberSource> sources = new ArrayList<>();
        try {
            if (input != null) {
                sources.add(start(input, true, true, format, clock, sink));
            } else {
                if (video != null) {
                    sources.add(start(video, true, false, format, clock, sink));
                }
                if (audio != null) {
                    sources.add(start(audio, false, true, format, clock, sink));
                }
            }
            return sources;
        } catch (RuntimeException e) {
            sources.forEach(GrabberSource::close);
            throw e;
        }
    }

    private static GrabberSource start(SourceSpec spec, boolean video, boolean audio, CaptureFormat format,
                                       LocalClock clock, CaptureSink sink) {
        FFmpegFrameGrabber grabber;
        boolean fileMode = false;
        switch (spec.kind()) {
            case SYNTHETIC -> {
                grabber = new FFmpegFrameGrabber(video ? syntheticVideoGraph(format) : syntheticAudioGraph());
                grabber.setFormat("lavfi");
                lowLatencyProbe(grabber);
            }
            case DEVICE -> {
                grabber = new FFmpegFrameGrabber(spec.target());
                grabber.setFormat(spec.format());
                lowLatencyProbe(grabber);
                if (video && !spec.format().equals("lavfi")) {
                    grabber.setFrameRate(format.frameRate());
                }
            }
            case FILE -> {
                grabber = new FFmpegFrameGrabber(spec.target());
                fileMode = true;
            }
            case URL -> {
                grabber = new FFmpegFrameGrabber(spec.target());
                // A dead camera fails instead of hanging (µs). Not "timeout" for RTMP: there it
                // means "listen for incoming connections".
                if (spec.target().toLowerCase(Locale.ROOT).startsWith("rtsp")) {
                    grabber.setOption("rtsp_transport", "tcp");
                    grabber.setOption("timeout", "10000000");
                } else {
                    grabber.setOption("rw_timeout", "10000000");
                }
            }
            default -> throw new IllegalStateException();
        }
        String name = spec.describe();
        boolean pacedAtChunkStart = fileMode || spec.kind() == SourceSpec.Kind.SYNTHETIC;
        GrabberSource source = new GrabberSource(name, grabber, video, audio, fileMode, pacedAtChunkStart, format, clock, sink);
        try {
            source.start();
            return source;
        } catch (Exception | LinkageError e) {
            source.close();
            throw new CaptureException(openFailure(spec, video, e), e);
        }
    }

    /**
     * Live inputs: probe as little as possible, or the frames read while probing are
     * delivered in a burst at start and get capture times that are too late.
     */
    private static void lowLatencyProbe(FFmpegFrameGrabber grabber) {
        grabber.setOption("analyzeduration", "0");
        grabber.setOption("probesize", "32");
        grabber.setOption("fflags", "nobuffer");
    }

    private static String openFailure(SourceSpec spec, boolean video, Throwable e) {
        String what = video ? "video" : "audio";
        String reason = reason(e);
        return switch (spec.kind()) {
            case DEVICE -> "cannot open " + what + " device " + spec.describe() + ": " + reason + "; "
                    + DeviceCatalog.availableSentence(spec.format()) + " (see --list-devices)";
            case FILE -> "cannot open file " + spec.target() + ": " + reason;
            case URL -> "cannot open " + spec.target() + ": " + reason;
            case SYNTHETIC -> "cannot start the synthetic " + what + " source: " + reason
                    + " (FFmpeg's device library needs the system packages libpulse0 libasound2 libxcb1 libxcb-shm0)";
        };
    }

    private static String reason(Throwable e) {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("error -2:") || msg.contains("No such file")) {
            return "no such device or file";
        }
        if (msg.contains("error -16:") || msg.contains("busy")) {
            return "device busy (is another program using it?)";
        }
        if (msg.contains("error -13:")) {
            return "permission denied (is the user in the video/audio group?)";
        }
        if (msg.contains("Could not find input format")) {
            return "this FFmpeg build has no such input format";
        }
        return msg;
    }
}
