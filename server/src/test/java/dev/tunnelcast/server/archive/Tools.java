package dev.tunnelcast.server.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real FFmpeg command-line tools (Debian's {@code ffmpeg} package). */
final class Tools {

    private Tools() {}

    static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out;
        try (var in = process.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(command.get(0) + " exited with " + process.exitValue() + ": " + text);
        }
        return text;
    }

    /** What ffprobe reads: every stream and every packet (pts per stream). */
    record Probe(List<ProbeStream> streams) {
        ProbeStream stream(String type) {
            return streams.stream().filter(s -> s.type.equals(type)).findFirst()
                    .orElseThrow(() -> new AssertionError("ffprobe sees no " + type + " stream"));
        }
    }

    record ProbeStream(String type, String codec, double startSeconds, List<Double> ptsSeconds) {}

    static Probe ffprobe(String input, String... extraArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ffprobe", "-v", "error"));
        command.addAll(List.of(extraArgs));
        command.addAll(List.of("-show_entries", "stream=index,codec_type,codec_name,start_time:packet=stream_index,pts_time",
                "-of", "json", input));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out;
        try (var in = process.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("ffprobe failed on " + input);
        }
        JsonNode root = new ObjectMapper().readTree(out);
        List<ProbeStream> streams = new ArrayList<>();
        for (JsonNode s : root.path("streams")) {
            int index = s.path("index").asInt();
            List<Double> pts = new ArrayList<>();
            for (JsonNode p : root.path("packets")) {
                if (p.path("stream_index").asInt() == index && p.has("pts_time")) {
                    pts.add(p.path("pts_time").asDouble());
                }
            }
            streams.add(new ProbeStream(s.path("codec_type").asText(), s.path("codec_name").asText(),
                    s.path("start_time").asDouble(), pts));
        }
        return new Probe(streams);
    }

    /**
     * The duration ffprobe states for {@code file} read through a pipe, as a reader that cannot
     * seek sees it (a progressive download, GStreamer): from the header and the first fragment.
     */
    static double streamedDurationSeconds(Path file) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "format=duration",
                "-of", "csv=p=0", "-i", "pipe:0").redirectInput(file.toFile()).redirectErrorStream(true).start();
        String out;
        try (var in = process.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("ffprobe failed on " + file + ": " + out);
        }
        return Double.parseDouble(out.trim());
    }

    /** How many video frames ffprobe decodes (every frame, not only the packets it reads). */
    static long decodedFrames(String input) throws IOException, InterruptedException {
        String out = run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
                "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", input), 60);
        return Long.parseLong(out.trim());
    }
}
