package dev.tunnelcast.server.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FFmpeg's error text in our exceptions (and so in the log of a failed repair) is its message
 * and nothing more: not the rest of the native buffer it was written into, which held
 * whatever memory was there before (class names, library paths).
 */
class FfmpegErrorTextTest {

    @Test
    void aFileFfmpegCannotReadIsReportedWithFfmpegsReasonAlone(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("garbage.mp4"), new byte[] {0, 0, 0, 8, 'j', 'u', 'n', 'k', 1, 2, 3});

        IOException error = catchThrowableOfType(IOException.class, () -> MediaProbe.of(file));

        assertThat(error.getMessage())
                .isEqualTo("cannot open " + file + ": Invalid data found when processing input (FFmpeg error -1094995529)");
    }

    @Test
    void everyErrorCodeReadsAsPrintableText() {
        for (int code : new int[] {-1, -2, -5, -12, -22, -1094995529, -541478725, -1234567}) {
            IOException error = catchThrowableOfType(IOException.class, () -> Fmp4Muxer.check(code, "do it"));

            assertThat(error.getMessage()).as("code %d", code)
                    .startsWith("cannot do it: ")
                    .endsWith(" (FFmpeg error " + code + ")")
                    .doesNotContain("\0")
                    .matches("[\\x20-\\x7e]+");
        }
    }
}
