package dev.tunnelcast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two scripts a new user starts with answer {@code help} at once and with exit code 0:
 * {@code ./tunnelcast help} is not an error (it exited 2), and {@code bench/run NAME --help}
 * does not build the project first (35 s of Maven before one screen of help). Maven is on the
 * PATH as a command that leaves a mark and fails, so that a build would show.
 */
class ScriptHelpTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path bin;

    record Result(int exitCode, String output) {}

    private Result run(String... command) throws IOException, InterruptedException {
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\ntouch \"$(dirname \"$0\")/maven-ran\"\nexit 97\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(REPO.toFile()).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s ended; output:%n%s", List.of(command), output).isTrue();
        return new Result(process.exitValue(), output);
    }

    @Test
    void tunnelcastHelpIsNotAnError() throws Exception {
        for (String help : List.of("help", "--help", "-h")) {
            Result result = run("./tunnelcast", help);
            assertThat(result.exitCode()).as("./tunnelcast %s; output:%n%s", help, result.output()).isZero();
            assertThat(result.output()).contains("./tunnelcast test").contains("./tunnelcast demo");
        }
        Result unknown = run("./tunnelcast", "nonsense");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.output()).contains("unknown command: nonsense").contains("./tunnelcast test");
    }

    @Test
    void benchHelpDoesNotBuildFirst() throws Exception {
        Result list = run("bench/run", "help");
        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(list.output()).contains("bench/run fuzz");
        for (String name : List.of("fuzz", "latency")) {
            Result result = run("bench/run", name, "--help");
            assertThat(result.exitCode()).as("bench/run %s --help; output:%n%s", name, result.output()).isZero();
            assertThat(result.output()).contains(name);
        }
        assertThat(bin.resolve("maven-ran")).as("Maven ran for a help text").doesNotExist();
    }
}
