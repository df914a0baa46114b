package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What {@code ffprobe} says of a recorded file: the one way e2e tests ask it. */
final class FFprobe {

    private FFprobe() {}

    /** {@code entries} (e.g. {@code stream=width,height}) of {@code stream} (e.g. {@code v:0}), as CSV without keys. */
    static String probe(Path file, String stream, String entries, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("ffprobe", "-v", "error", "-select_streams", stream));
        command.addAll(List.of(extra));
        command.addAll(List.of("-show_entries", entries, "-of", "csv=p=0", file.toString()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("ffprobe %s", file).isZero();
        return out;
    }
}
