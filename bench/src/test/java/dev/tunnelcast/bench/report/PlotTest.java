package dev.tunnelcast.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotTest {
    @TempDir
    Path dir;

    @Test
    void drawsEverySeriesIntoAPng() throws Exception {
        Path png = Plot.lines("p99 latency", "players", "ms").logX().yFromZero()
                .series("a", new double[] {100, 1000}, new double[] {2, 30}, new double[] {1, 4})
                .seriesRight("b", "Mbit/s", new double[] {100, 1000}, new double[] {5, 8})
                .label("knee", 1000, 30)
                .save(dir.resolve("sub/plot.png"));

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(520);
        assertThat(distinctColours(image)).as("axes, text and two coloured series").isGreaterThan(20);
    }

    @Test
    void refusesSeriesThatDoNotLineUp() {
        assertThatThrownBy(() -> Plot.scatter("t", "x", "y").series("s", new double[] {1, 2}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'s'");
        assertThatThrownBy(() -> Plot.scatter("t", "x", "y").save(dir.resolve("empty.png")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no series");
    }

    private static long distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
