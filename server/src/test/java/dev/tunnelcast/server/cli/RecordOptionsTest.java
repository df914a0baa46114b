package dev.tunnelcast.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunnelcast.server.RelayConfig;
import dev.tunnelcast.server.archive.ArchiveConfig;
import dev.tunnelcast.server.archive.FsyncPolicy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code --record-*} options of {@code serve}. */
class RecordOptionsTest {

    @Test
    void recordingIsOffUntilADirectoryIsGiven() {
        assertThat(ServeCommandTest.parse().archive()).isNull();
    }

    @Test
    void oneOptionTurnsRecordingOnWithTheLibraryDefaults() {
        ArchiveConfig cli = ServeCommandTest.parse("--record-dir", "/srv/archive").archive();
        ArchiveConfig lib = ArchiveConfig.defaults(Path.of("/srv/archive"));
        assertThat(cli).isEqualTo(lib);
        assertThat(cli.records("anything")).isTrue();
    }

    @Test
    void everyRecordingOptionIsParsed() {
        RelayConfig c = ServeCommandTest.parse("--record-dir", "/srv/archive", "--record-streams", "cam-*",
                "--record-segment", "5m", "--record-max-age", "7d", "--record-max-bytes-per-stream", "10GiB",
                "--record-max-bytes", "100GiB", "--record-min-free", "1GiB", "--record-queue", "8192",
                "--record-hook-command", "rclone copyto \"$1\" s3:bucket/", "--record-webhook", "http://assets.local/hook");
        ArchiveConfig a = c.archive();
        assertThat(a.records("cam-1")).isTrue();
        assertThat(a.records("lobby")).isFalse();
        assertThat(a.segmentDuration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(a.maxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(a.maxBytesPerStream()).isEqualTo(10L << 30);
        assertThat(a.maxTotalBytes()).isEqualTo(100L << 30);
        assertThat(a.minFreeBytes()).isEqualTo(1L << 30);
        assertThat(a.queuePackets()).isEqualTo(8192);
        assertThat(a.hookCommand()).containsExactly("sh", "-c", "rclone copyto \"$1\" s3:bucket/", "tunnelcast-hook");
        assertThat(a.webhookUrl()).isEqualTo(URI.create("http://assets.local/hook"));
    }

    @Test
    void theFsyncPolicyIsParsedAndABadOneIsRefusedByName() {
        assertThat(ServeCommandTest.parse("--record-dir", "/a").archive().fsync()).isEqualTo(FsyncPolicy.FRAGMENT);
        assertThat(ServeCommandTest.parse("--record-dir", "/a", "--record-fsync", "segment").archive().fsync())
                .isEqualTo(FsyncPolicy.SEGMENT);
        assertThat(ServeCommandTest.parse("--record-dir", "/a", "--record-fsync", "NONE").archive().fsync())
                .isEqualTo(FsyncPolicy.NONE);
        assertThatThrownBy(() -> ServeCommandTest.parse("--record-dir", "/a", "--record-fsync", "always"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--record-fsync").hasMessageContaining("[fragment, segment, none]");
    }

    @Test
    void theHookCommandSeesTheSegmentPathAsDollarOne() throws Exception {
        ArchiveConfig a = ServeCommandTest.parse("--record-dir", "/srv/archive",
                "--record-hook-command", "test \"$1\" = /srv/archive/cam1/x.mp4").archive();
        List<String> command = new ArrayList<>(a.hookCommand());
        command.add("/srv/archive/cam1/x.mp4"); // what HandoffHook appends
        Process p = new ProcessBuilder(command).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }
}
