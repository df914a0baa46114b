package dev.tunnelcast.bench.codecs;

import dev.tunnelcast.agent.capture.CaptureFormat;
import dev.tunnelcast.agent.capture.ClockOverlay;
import dev.tunnelcast.agent.capture.FrameStamp;
import dev.tunnelcast.agent.capture.RawVideoFrame;
import dev.tunnelcast.agent.capture.Sources;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * A source clip rendered once to raw I420 in a temp folder, so every encoder sees identical
 * frames and the quality filters compare against exactly what was encoded. Never committed.
 */
record TestClip(String name, String description, Path file, int width, int height, int fps, int frames) {

    /** The input options that read this clip in ffmpeg. */
    List<String> inputArgs() {
        return List.of("-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", width + "x" + height, "-r", Integer.toString(fps),
                "-i", file.toString());
    }

    double seconds() {
        return frames / (double) fps;
    }

    /**
     * The agent's synthetic camera exactly as it reaches the encoder: lavfi testsrc2 with the
     * agent's frame stamp and clock overlay drawn by the agent's own code.
     */
    static TestClip synthetic(Path dir, int width, int height, int fps, int frames) throws IOException {
        Path file = dir.resolve("synthetic.yuv");
        String graph = Sources.syntheticVideoGraph(new CaptureFormat(width, height, fps, 0)).replace(",realtime", "");
        long epochMicros = 1_700_000_000_000_000L;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(graph); OutputStream out = Files.newOutputStream(file)) {
            g.setFormat("lavfi");
            g.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            g.start();
            for (int i = 0; i < frames; i++) {
                Frame f = g.grabImage();
                RawVideoFrame raw = RawVideoFrame.copyOf((AVFrame) f.opaque, 0);
                long captureMicros = epochMicros + i * 1_000_000L / fps;
                FrameStamp.draw(raw.i420(), width, height, captureMicros);
                ClockOverlay.draw(raw.i420(), width, height, captureMicros);
                out.write(raw.i420());
            }
            g.stop();
        }
        return new TestClip("synthetic", "the agent's synthetic camera: lavfi testsrc2 + the agent's frame stamp and clock",
                file, width, height, fps, frames);
    }

    /**
     * Camera-like natural motion from lavfi: evolving 6-octave Perlin noise (a sandstone/cloud
     * texture with detail down to a few pixels, rendered at half size and upscaled as optics
     * would soften it), a slow camera pan (motion search matters), a warm tint so chroma
     * carries detail, and light temporal sensor grain. Cheap to render, unlike mandelbrot.
     */
    static TestClip natural(FfmpegTool ffmpeg, Path dir, int width, int height, int fps, int frames)
            throws IOException, InterruptedException {
        Path file = dir.resolve("natural.yuv");
        int padW = width * 9 / 8;
        int padH = height * 9 / 8;
        String graph = "perlin=size=" + width / 2 + "x" + height / 2 + ":rate=" + fps
                + ":octaves=6:persistence=0.7:xscale=6:yscale=6:tscale=0.3:random_mode=seed:seed=7"
                + ",scale=" + padW + ":" + padH + ":flags=bicubic"
                + ",crop=" + width + ":" + height + ":x='(iw-ow)/2*(1+sin(t/2))':y='(ih-oh)/2*(1+cos(t/3))'"
                + ",format=rgb24,colorchannelmixer=rr=1:gg=0.85:bb=0.6,noise=alls=2:allf=t,format=yuv420p";
        List<String> args = new ArrayList<>(List.of("-loglevel", "error", "-f", "lavfi", "-i", graph,
                "-frames:v", Integer.toString(frames), "-f", "rawvideo", "-y", file.toString()));
        ffmpeg.run(args, Duration.ofMinutes(5)).requireSuccess("rendering the natural clip");
        return new TestClip("natural", "natural-ish motion: lavfi 6-octave perlin texture, panned, tinted, with light sensor grain",
                file, width, height, fps, frames);
    }
}
