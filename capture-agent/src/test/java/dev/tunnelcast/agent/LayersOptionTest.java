package dev.tunnelcast.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunnelcast.agent.encode.LayerSpec;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --layers}: the top layer sets the video size and bitrate; without it, no layers; not with {@code --adaptive}. */
class LayersOptionTest {

    private static AgentConfig configFor(String... args) {
        AgentMain main = new AgentMain();
        new CommandLine(main).parseArgs(args);
        return main.buildConfig();
    }

    @Test
    void theTopLayerSetsTheVideoSizeAndBitrate() {
        AgentConfig config = configFor("--layers", "1280x720@2500k,640x360@700k,320x180@200k", "--size", "640x480");
        assertThat(config.layers()).containsExactly(new LayerSpec(1280, 720, 2_500_000), new LayerSpec(640, 360, 700_000),
                new LayerSpec(320, 180, 200_000));
        assertThat(config.videoEncoder().width()).isEqualTo(1280);
        assertThat(config.videoEncoder().height()).isEqualTo(720);
        assertThat(config.videoEncoder().bitrateBps()).isEqualTo(2_500_000);
    }

    @Test
    void withoutLayersNothingChanges() {
        AgentConfig config = configFor("--size", "640x360", "--bitrate", "1M");
        assertThat(config.layers()).isEmpty();
        assertThat(config.videoEncoder().width()).isEqualTo(640);
        assertThat(config.videoEncoder().bitrateBps()).isEqualTo(1_000_000);
    }

    @Test
    void notWithAdaptive() {
        assertThatThrownBy(() -> configFor("--layers", "1280x720@2500k,640x360@700k", "--adaptive"))
                .hasMessageContaining("--adaptive");
    }
}
