package dev.tunnelcast.bench.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tunnelcast.bench.harness.MachineInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The long fuzz run: each fuzz test of the tree (see {@link FuzzTarget}) in Jazzer's fuzzing
 * mode, in its own JVM, until it has run the asked executions or seconds. Reports per target
 * the executions, libFuzzer's coverage, the findings and the command that reproduces the run;
 * a finding's input is written under {@code fuzz-findings/<target>/} of the results folder.
 * The test classpaths come from {@code <module>/target/test-classpath.txt} (bench/run makes them).
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = "Fuzz every target (or the named ones) with Jazzer and report executions, coverage and findings.")
public final class FuzzBench implements Callable<Integer> {

    /** A year: the limit passed when none is asked, longer than any run. */
    private static final long NO_TIME_LIMIT_SECONDS = 365L * 24 * 3600;

    @Option(names = "--target", split = ",", description = "Targets (default: all): relay-publisher, relay-player, archive-repair, agent-relay-messages.")
    List<String> targets;

    @Option(names = "--executions", defaultValue = "10000000", description = "Executions per target (default: ${DEFAULT-VALUE}).")
    long executions;

    @Option(names = "--seconds", defaultValue = "0", description = "Stop a target after this many seconds (default: no limit).")
    long seconds;

    @Option(names = "--parallel", defaultValue = "1", description = "Targets fuzzed at once, one JVM each (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--keep-going", defaultValue = "20", description = "Distinct findings a target may report before it stops (default: ${DEFAULT-VALUE}).")
    int keepGoing;

    @Option(names = "--timeout", defaultValue = "20", description = "Seconds one input may take before it counts as a hang (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--out", description = "Results folder (default: bench/results/<date>).")
    Path out;

    /** One target's run. */
    record Run(String target, String what, String command, double wallSeconds, double cpuSeconds, String loadAtStart,
               String loadAtEnd, LibFuzzerLog log) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new FuzzBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (out == null) {
            out = Path.of("bench", "results", LocalDate.now().toString());
        }
        List<FuzzTarget> chosen = targets == null ? FuzzTarget.ALL : targets.stream().map(FuzzTarget::named).toList();
        Files.createDirectories(out);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel));
        List<Future<Run>> pending = new ArrayList<>();
        for (FuzzTarget target : chosen) {
            pending.add(pool.submit(() -> fuzz(target)));
        }
        List<Run> runs = new ArrayList<>();
        for (Future<Run> run : pending) {
            runs.add(run.get());
        }
        pool.shutdown();
        write(runs);
        return runs.stream().anyMatch(r -> r.log().findings().size() > 0) ? 1 : 0;
    }

    private Run fuzz(FuzzTarget target) throws IOException, InterruptedException {
        Path work = Path.of("bench", "target", "fuzz", target.name()).toAbsolutePath();
        Path corpus = work.resolve("corpus");
        Files.createDirectories(corpus);
        Path findings = out.resolve("fuzz-findings").resolve(target.name()).toAbsolutePath();
        Files.createDirectories(findings);
        Path module = Path.of(target.module()).toAbsolutePath();
        String classpath = "target/test-classes:target/classes:"
                + Files.readString(module.resolve("target/test-classpath.txt")).trim();
        List<String> jazzer = new ArrayList<>(List.of(
                "--target_class=" + target.testClass(), "--target_method=" + target.method(),
                "--instrumentation_includes=" + target.includes(), "--instrumentation_excludes=" + target.excludes(),
                "--keep_going=" + keepGoing,
                "-runs=" + executions, "-timeout=" + timeoutSeconds, "-rss_limit_mb=4096", "-print_final_stats=1",
                "-artifact_prefix=" + findings + "/"));
        // Without a limit of ours, Jazzer takes the @FuzzTest's maxDuration (30 s, meant for the
        // suite's short run) as the run's limit; "no limit" is a limit longer than any run.
        jazzer.add("-max_total_time=" + (seconds > 0 ? seconds : NO_TIME_LIMIT_SECONDS));
        jazzer.add(corpus.toString());
        List<String> command = new ArrayList<>(List.of("java", "-Xmx2g",
                // Findings are exceptions, not log lines; the code under test logs about one line
                // per input (the archive target: each damaged segment), gigabytes in a long run.
                "-DTUNNELCAST_TEST_LOG_LEVEL=OFF", "-DTUNNELCAST_LOG_LEVEL=OFF",
                "-Dorg.bytedeco.javacpp.cachedir=" + module.resolve("target/javacpp-cache"),
                "-cp", classpath, "com.code_intelligence.jazzer.Jazzer"));
        command.addAll(jazzer);
        String reproduce = "bench/run fuzz --target " + target.name() + " --executions " + executions
                + (seconds > 0 ? " --seconds " + seconds : "");
        System.out.printf("%s: fuzzing %s.%s (log %s)%n", target.name(), target.testClass(), target.method(),
                work.resolve("jazzer.log"));
        String loadAtStart = MachineInfo.loadAverage();
        Instant start = Instant.now();
        Process process = new ProcessBuilder(command).directory(module.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("jazzer.log").toFile()).start();
        double cpuSeconds = 0;
        while (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            cpuSeconds = Math.max(cpuSeconds, cpuSecondsOf(process));
        }
        double wall = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        LibFuzzerLog log = LibFuzzerLog.parse(Files.readAllLines(work.resolve("jazzer.log")));
        System.out.printf("%s: %,d executions, cov %d ft %d, %d findings (exit %d)%n", target.name(), log.executions(),
                log.edges(), log.features(), log.findings().size(), process.exitValue());
        return new Run(target.name(), target.what(), reproduce, wall, cpuSeconds, loadAtStart, MachineInfo.loadAverage(), log);
    }

    /** utime + stime of the process and its threads so far, from /proc (0 where there is none). */
    private static double cpuSecondsOf(Process process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // clock ticks, USER_HZ = 100
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private void write(List<Run> runs) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("machine", MachineInfo.describe());
        doc.put("runs", runs);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("fuzz.json").toFile(), doc);
        StringBuilder md = new StringBuilder("## Fuzzing: relay, archive and agent under Jazzer\n\n")
                .append("Each target is a `@FuzzTest` of the tree, fuzzed by Jazzer (libFuzzer) in its own JVM;")
                .append(" `mvn test` replays its committed inputs. Coverage is libFuzzer's at the end of the run:")
                .append(" edges (`cov`) and features (`ft`) of the instrumented code: the code under test and protobuf's")
                .append(" decoder, not the generated message classes nor the test's own harness (`FuzzTarget`).")
                .append(" CPU is the fuzzing JVM's utime+stime; the load average says what else ran on the machine.")
                .append(" Goal: at least 10 million executions per target, no crash, no out-of-memory, no hang.\n\n")
                .append("Machine: ").append(MachineInfo.describe()).append("\n\n")
                .append("| target | executions | exec/s (wall) | CPU s | cov | ft | corpus | crashes | OOMs | hangs | load average start → end |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Run r : runs) {
            LibFuzzerLog l = r.log();
            md.append(String.format("| %s | %,d | %.0f | %.0f | %d | %d | %d | %d | %d | %d | %s → %s |%n", r.target(),
                    l.executions(), l.executions() / Math.max(1, r.wallSeconds()), r.cpuSeconds(), l.edges(),
                    l.features(), l.corpusUnits(), l.crashes(), l.ooms(), l.hangs(), firstThree(r.loadAtStart()),
                    firstThree(r.loadAtEnd())));
        }
        md.append("\nWhat each target drives, and the command that reproduces its run:\n\n");
        for (Run r : runs) {
            md.append("- **").append(r.target()).append("**: ").append(r.what()).append(". `").append(r.command())
                    .append("`\n");
            for (String finding : r.log().findings()) {
                md.append("  - finding: ").append(finding.length() > 200 ? finding.substring(0, 200) + "…" : finding)
                        .append(" (input under `fuzz-findings/").append(r.target()).append("/`)\n");
            }
        }
        Files.writeString(out.resolve("fuzz.md"), md);
        System.out.println();
        System.out.print(md);
        System.out.println("\nWrote " + out.resolve("fuzz.json") + " and " + out.resolve("fuzz.md"));
    }

    private static String firstThree(String loadavg) {
        String[] parts = loadavg.split(" ");
        return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : loadavg;
    }
}
