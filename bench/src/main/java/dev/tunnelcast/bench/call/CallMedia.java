package dev.tunnelcast.bench.call;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The files Chromium's fake camera and microphone play in a loop for a call's participants,
 * made with FFmpeg. The camera: {@code testsrc2} with the frame stamp of docs/frame-stamp.md
 * drawn into every frame ({@code geq}), the stamp being an identifier (frame {@code i} of the
 * loop carries {@code firstStamp + i}): a looping file has no capture times, so the call page
 * records when each stamp was captured and shown. The microphone: 1 kHz beeps after silence
 * at irregular gaps, so that a heard beep is told from its neighbours by the gap before it.
 */
public final class CallMedia {

    /** How long both files last before the devices loop them. */
    public static final int LOOP_MS = 4000;
    /** Beep onsets in the microphone's loop: gaps of 600, 900, 1100 and 1400 ms. */
    public static final List<Integer> BEEP_ONSETS_MS = List.of(0, 600, 1500, 2600);
    public static final int BEEP_MS = 120;

    private CallMedia() {}

    /**
     * A y4m of {@link #LOOP_MS} at {@code width}x{@code height} and {@code fps}, frame {@code i}
     * stamped {@code firstStamp + i}.
     */
    public static Path camera(Path dir, int width, int height, int fps, long firstStamp) throws IOException {
        Path file = dir.resolve(String.format(Locale.ROOT, "camera-%dx%d-%d-%d.y4m", width, height, fps, firstStamp));
        int b = stampBlockSize(width);
        int c = b / 2; // chroma planes of 4:2:0 are half the size
        // Inside the stamp's strip: block 0 and 34 white, block 1 black, blocks 2..33 the bits of the
        // stamp, most significant first; luma 235/16 with neutral chroma, as the agent draws it.
        String block = "floor(X/" + b + ")";
        String lum = String.format(Locale.ROOT, "if(lt(Y,%d)*lt(X,%d),"
                + " if(eq(%s,0)+eq(%s,34), 235, if(eq(%s,1), 16, if(mod(floor((%d+N)/pow(2,33-%s)),2), 235, 16))), lum(X,Y))",
                b, 35 * b, block, block, block, firstStamp, block);
        String chroma = String.format(Locale.ROOT, "if(lt(Y,%d)*lt(X,%d),128,%%s(X,Y))", c, 35 * c);
        ffmpeg("-f", "lavfi", "-i", String.format(Locale.ROOT, "testsrc2=size=%dx%d:rate=%d", width, height, fps),
                "-t", seconds(LOOP_MS), "-vf", "geq=lum='" + lum + "':cb='" + chroma.formatted("cb") + "':cr='"
                        + chroma.formatted("cr") + "'",
                "-pix_fmt", "yuv420p", file.toString());
        return file;
    }

    /** A 48 kHz mono wav of {@link #LOOP_MS}: a {@link #BEEP_MS} 1 kHz tone at -6 dBFS at each of {@link #BEEP_ONSETS_MS}. */
    public static Path microphone(Path dir) throws IOException {
        Path file = dir.resolve("microphone-beeps.wav");
        String gates = BEEP_ONSETS_MS.stream().map(onset -> String.format(Locale.ROOT, "between(t\\,%s\\,%s)",
                seconds(onset), seconds(onset + BEEP_MS))).collect(Collectors.joining("+"));
        ffmpeg("-f", "lavfi", "-i", "aevalsrc='0.5*sin(2*PI*1000*t)*(" + gates + ")':s=48000:d=" + seconds(LOOP_MS),
                "-ac", "1", "-c:a", "pcm_s16le", file.toString());
        return file;
    }

    /** docs/frame-stamp.md: B = max(8, floor(width / 48)), rounded down to even. */
    static int stampBlockSize(int width) {
        int b = Math.max(8, width / 48);
        return b - b % 2;
    }

    /** The frames of one loop at {@code fps}. */
    public static int framesPerLoop(int fps) {
        return LOOP_MS * fps / 1000;
    }

    /** The beep onsets of {@code loops} loops, ms from the first. */
    static List<Integer> onsets(int loops) {
        return IntStream.range(0, loops).boxed()
                .flatMap(loop -> BEEP_ONSETS_MS.stream().map(onset -> loop * LOOP_MS + onset)).toList();
    }

    private static String seconds(int ms) {
        return String.format(Locale.ROOT, "%.3f", ms / 1000.0);
    }

    private static void ffmpeg(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("ffmpeg " + String.join(" ", args) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (!Files.isRegularFile(Path.of(args[args.length - 1]))) {
            throw new IOException("ffmpeg made no " + args[args.length - 1]);
        }
    }
}
