package dev.tunnelcast.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunnelcast.agent.encode.LayerSpec;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --layers}: what it reads, what it refuses and why, and what it does not go with. */
class LayersOptionTest {

    private static AgentConfig config(String... args) {
        AgentMain main = new AgentMain();
        new CommandLine(main).parseArgs(args);
        return main.buildConfig();
    }

    @Test
    void readsLayersTopFirstAndEncodesTheCaptureAtTheTopLayer() {
        AgentConfig c = config("--layers", "1280x720@2500k,640x360@700k,320x180@200k");
        assertThat(c.layers()).containsExactly(new LayerSpec(1280, 720, 2_500_000), new LayerSpec(640, 360, 700_000),
                new LayerSpec(320, 180, 200_000));
        assertThat(c.videoEncoder().width()).isEqualTo(1280);
        assertThat(c.videoEncoder().height()).isEqualTo(720);
        assertThat(c.videoEncoder().bitrateBps()).isEqualTo(2_500_000);
        assertThat(config().layers()).as("no simulcast without the option").isEmpty();
    }

    @Test
    void aMalformedLayerListSaysWhatIsWrong() {
        assertThatThrownBy(() -> config("--layers", "1280x720,640x360@700k")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("Invalid value for option '--layers' (WxH@RATE,...): '1280x720' is not WxH@BITRATE, e.g. 640x360@700k");
        assertThatThrownBy(() -> config("--layers", "640x360@700k,1280x720@2500k"))
                .hasMessageEndingWith("layer 1280x720@2500k: heights must fall from the first layer (a layer is named by its height, e.g. 360p)");
        assertThatThrownBy(() -> config("--layers", "1280x720@2500k")).hasMessageEndingWith("give 2 to 4 layers, got 1");
        assertThatThrownBy(() -> config("--layers", "1280x720@2500k,641x361@700k"))
                .hasMessageEndingWith("layer 641x361@700k: width and height must be even and positive");
        assertThatThrownBy(() -> config("--layers", "1280x720@2500k,640x360@fast")).hasMessageContaining("'fast'");
        assertThatThrownBy(() -> config("--layers", "1920x1080@4M,1280x720@2500k,960x540@1M,640x360@700k,320x180@200k"))
                .hasMessageEndingWith("give 2 to 4 layers, got 5");
    }

    @Test
    void optionsThatLayersReplaceOrDoNotSupportAreRefused() {
        assertThatThrownBy(() -> config("--layers", "1280x720@2500k,640x360@700k", "--size", "640x360"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--size and --layers do not go together");
        assertThatThrownBy(() -> config("--layers", "1280x720@2500k,640x360@700k", "--bitrate", "1M"))
                .hasMessageStartingWith("--bitrate and --layers do not go together");
        assertThatThrownBy(() -> config("--layers", "1280x720@2500k,640x360@700k", "--adaptive"))
                .hasMessageStartingWith("--adaptive and --layers do not go together");
        assertThatThrownBy(() -> config("--layers", "1280x720@2500k,640x360@700k", "--crf", "23"))
                .hasMessageStartingWith("--crf and --layers do not go together");
    }

    @Test
    void theCommandLineExitsWithOneOnABadLayerList() {
        assertThat(AgentMain.run("--layers", "big,small")).isEqualTo(1);
    }
}
