package dev.tunnelcast.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A tree of a sleeping and a spinning process is described as such, each by its pid. */
class ProcessTreeTest {

    @Test
    @Timeout(60)
    void tellsASleepingProcessFromASpinningOne(@TempDir Path dir) throws Exception {
        Path pids = dir.resolve("pids");
        String script = "sleep 600 & s=$!; (while :; do :; done) & echo $s $! > " + pids + ".tmp && mv " + pids + ".tmp " + pids + "; wait";
        Process root = new ProcessBuilder("sh", "-c", script).start();
        try {
            while (!Files.exists(pids)) {
                Thread.sleep(20);
            }
            String[] both = Files.readString(pids).trim().split(" ");

            String described = ProcessTree.describe(root.toHandle(), 1000);

            Matcher sleeper = entry(both[0]).matcher(described);
            Matcher spinner = entry(both[1]).matcher(described);
            assertThat(sleeper.find()).as(described).isTrue();
            assertThat(spinner.find()).as(described).isTrue();
            assertThat(sleeper.group(1)).isEqualTo("sleep");
            assertThat(sleeper.group(2)).isEqualTo("S");
            assertThat(Double.parseDouble(sleeper.group(3))).isZero();
            assertThat(spinner.group(2)).isEqualTo("R");
            assertThat(Double.parseDouble(spinner.group(3))).as(described).isPositive();
        } finally {
            root.descendants().forEach(ProcessHandle::destroyForcibly);
            root.destroyForcibly();
        }
    }

    /** name[pid] state share: the share printed with two decimals. */
    private static Pattern entry(String pid) {
        return Pattern.compile("(\\S+)\\[" + pid + "] (\\S+) (\\d+\\.\\d\\d) of a core");
    }
}
