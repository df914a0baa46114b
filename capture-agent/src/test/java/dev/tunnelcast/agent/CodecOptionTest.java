package dev.tunnelcast.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --codec} picks the codec's default encoder; {@code --encoder} alone implies its codec; a mismatch is refused. */
class CodecOptionTest {

    private static String encoderFor(String... args) {
        AgentMain main = new AgentMain();
        new CommandLine(main).parseArgs(args);
        return main.buildConfig().videoEncoder().encoder();
    }

    @Test
    void codecPicksItsDefaultEncoder() {
        assertThat(encoderFor()).isEqualTo("libx264");
        assertThat(encoderFor("--codec", "vp8")).isEqualTo("libvpx");
        assertThat(encoderFor("--codec", "VP9")).isEqualTo("libvpx-vp9");
        assertThat(encoderFor("--codec", "av1")).isEqualTo("libsvtav1");
    }

    @Test
    void encoderAloneImpliesItsCodec() {
        assertThat(encoderFor("--encoder", "libvpx-vp9")).isEqualTo("libvpx-vp9");
        assertThat(encoderFor("--codec", "h264", "--encoder", "libopenh264")).isEqualTo("libopenh264");
    }

    @Test
    void mismatchesAndUnknownNamesAreRefusedClearly() {
        assertThatThrownBy(() -> encoderFor("--codec", "vp9", "--encoder", "libx264"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not produce vp9");
        assertThatThrownBy(() -> encoderFor("--codec", "hevc")).hasMessageContaining("unknown codec 'hevc'");
        assertThatThrownBy(() -> encoderFor("--encoder", "libfoo")).hasMessageContaining("unsupported video encoder 'libfoo'");
    }
}
