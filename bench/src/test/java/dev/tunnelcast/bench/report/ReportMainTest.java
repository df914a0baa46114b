package dev.tunnelcast.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportMainTest {
    @TempDir
    Path root;

    @Test
    void putsSectionsInTheFixedOrderWithHeadlinesAndIndexesTheReport() throws Exception {
        Path day = Files.createDirectories(root.resolve("2026-11-21"));
        Files.writeString(day.resolve("archive.md"), "## Recording: CPU\n\ntable\n");
        Files.writeString(day.resolve("fanout.md"), "## Fan-out, side by side\n\n**Headline:** 4x the Node relay.\n");

        int exit = new CommandLine(new ReportMain()).execute("--dir", day.toString());

        assertThat(exit).isZero();
        String report = Files.readString(day.resolve("report.md"));
        assertThat(report).startsWith("# Tunnelcast benchmark report, 2026-11-21")
                .contains("- [Fan-out, side by side](#fan-out-side-by-side)\n- [Recording: CPU](#recording-cpu)")
                .contains("- [Fan-out, side by side](#fan-out-side-by-side): 4x the Node relay.");
        assertThat(report.indexOf("## Fan-out")).isLessThan(report.indexOf("## Recording"));
        assertThat(Files.readString(root.resolve("README.md"))).contains("- [2026-11-21](2026-11-21/report.md)");
    }

    @Test
    void anEmptyFolderIsAnErrorNotAnEmptyReport() throws Exception {
        Path day = Files.createDirectories(root.resolve("2026-11-22"));
        assertThat(new CommandLine(new ReportMain()).execute("--dir", day.toString())).isEqualTo(1);
        assertThat(day.resolve("report.md")).doesNotExist();
    }

    @Test
    void aSectionWithoutTitleIsRefused() {
        assertThatThrownBy(() -> ReportMain.Section.parse("x", "no title"))
                .hasMessageContaining("x.md has no '## ' title line");
    }
}
