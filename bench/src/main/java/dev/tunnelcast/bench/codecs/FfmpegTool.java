package dev.tunnelcast.bench.codecs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacpp.Loader;

/**
 * The {@code ffmpeg} executable of JavaCV's bundled FFmpeg (the same libraries the agent
 * links), run as a child process: every encoder sees the same build the agent would use.
 * Each run is bounded in time; while it runs, its thread count is sampled from /proc.
 */
final class FfmpegTool {

    /** What one ffmpeg run left behind: its exit code, stderr and the most threads it had at once. */
    record Result(int exitCode, String stderr, int maxThreads) {
        Result requireSuccess(String what) {
            if (exitCode != 0) {
                String tail = stderr.length() > 1500 ? stderr.substring(stderr.length() - 1500) : stderr;
                throw new IllegalStateException(what + ": ffmpeg exited with " + exitCode + ":\n" + tail);
            }
            return this;
        }
    }

    private final String executable;
    private final Path workDir;

    private FfmpegTool(String executable, Path workDir) {
        this.executable = executable;
        this.workDir = workDir;
    }

    static FfmpegTool bundled(Path workDir) {
        return new FfmpegTool(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class), workDir);
    }

    Result run(List<String> args, Duration timeout) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable, "-hide_banner", "-nostdin", "-nostats"));
        command.addAll(args);
        Path log = Files.createTempFile(workDir, "ffmpeg-", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            AtomicInteger maxThreads = new AtomicInteger();
            Thread sampler = new Thread(() -> sampleThreads(p, maxThreads), "ffmpeg-thread-sampler");
            sampler.setDaemon(true);
            sampler.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                throw new IllegalStateException("ffmpeg took longer than " + timeout + ": " + String.join(" ", command));
            }
            sampler.join(1000);
            return new Result(p.exitValue(), Files.readString(log), maxThreads.get());
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static void sampleThreads(Process p, AtomicInteger maxThreads) {
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        while (p.isAlive()) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("Threads:")) {
                        maxThreads.accumulateAndGet(Integer.parseInt(line.substring(8).trim()), Math::max);
                    }
                }
                Thread.sleep(20);
            } catch (IOException | RuntimeException gone) {
                return; // the process ended between isAlive() and the read
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
