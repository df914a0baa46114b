package dev.tunnelcast.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A source that does not exist fails at start with a message naming it and what there is instead. */
@Timeout(30)
class BadDeviceTest {

    String runAgent(String... args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = AgentMain.run(args);
            assertThat(code).as("exit code for a source that cannot be opened").isEqualTo(2);
        } finally {
            System.setErr(oldErr);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void missingCameraNamesTheDeviceAndWhatIsAvailable() {
        String err = runAgent("--relay", "ws://127.0.0.1:9", "--video", "v4l2:/dev/video-missing-42", "--no-audio",
                "--size", "320x240");
        assertThat(err).contains("error: cannot open video device v4l2:/dev/video-missing-42")
                .contains("no such device")
                .containsAnyOf("no v4l2 devices found on this machine", "available v4l2 devices:")
                .contains("--list-devices");
    }

    @Test
    void missingAlsaMicrophoneNamesTheDevice() {
        String err = runAgent("--relay", "ws://127.0.0.1:9", "--no-video", "--audio", "alsa:hw:42,0");
        assertThat(err).contains("cannot open audio device alsa:hw:42,0")
                .containsAnyOf("no alsa devices found", "available alsa devices:");
    }

    @Test
    void missingFileIsNamed() {
        String err = runAgent("--relay", "ws://127.0.0.1:9", "--input", "/nonexistent/clip.mp4");
        assertThat(err).contains("cannot open file /nonexistent/clip.mp4");
    }
}
