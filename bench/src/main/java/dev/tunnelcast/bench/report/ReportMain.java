package dev.tunnelcast.bench.report;

import dev.tunnelcast.bench.harness.MachineInfo;
import dev.tunnelcast.bench.latency.LatencyReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Puts the sections that the benchmarks wrote ({@code NAME.md}, see bench/README.md) into one
 * {@code report.md}, in a fixed order, with a contents list and the headlines up front, and
 * lists every report in {@code bench/results/README.md}.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Assembles bench/results/<date>/report.md from the sections the benchmarks wrote.")
public final class ReportMain implements Callable<Integer> {

    /** The order a reader wants: what a viewer feels, what the relay carries, then the trade-offs. */
    static final List<String> SECTIONS = List.of("latency", "call", "fanout", "cluster", "codecs", "jitter", "uplink", "abr", "archive",
            "encode", "fuzz");

    private static final String HEADLINE = "**Headline:**";

    @Option(names = "--dir", description = "Results folder (default: bench/results/<today>).")
    Path dir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ReportMain()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Path results = dir != null ? dir : Path.of("bench", "results", LocalDate.now().toString());
        if (Files.exists(results.resolve("latency.json")) && !Files.exists(results.resolve("latency.md"))) {
            LatencyReport.write(results);
        }
        List<Section> sections = new ArrayList<>();
        for (String name : SECTIONS) {
            Path md = results.resolve(name + ".md");
            if (Files.exists(md)) {
                sections.add(Section.parse(name, Files.readString(md)));
            }
        }
        if (sections.isEmpty()) {
            System.err.println("no benchmark sections in " + results + " (run bench/run all, or one benchmark, first)");
            return 1;
        }
        Path report = results.resolve("report.md");
        Files.writeString(report, render(results.getFileName().toString(), sections));
        Path index = writeIndex(results.getParent());
        System.out.println("wrote " + report + " (" + sections.size() + " sections) and " + index);
        return 0;
    }

    static String render(String date, List<Section> sections) {
        StringBuilder md = new StringBuilder("# Tunnelcast benchmark report, ").append(date).append("\n\n")
                .append("Regenerate everything with `bench/run all` (or one part with `bench/run NAME`, then ")
                .append("`bench/run report`). Every section says how it was measured, on what machine, and the ")
                .append("command that reproduces it; figures are medians of repeated runs with their range.\n\n")
                .append("Assembled on: ").append(MachineInfo.describe()).append("\n\n## Contents\n\n");
        for (Section s : sections) {
            md.append("- [").append(s.title()).append("](#").append(anchor(s.title())).append(")\n");
        }
        if (sections.stream().anyMatch(s -> !s.headlines().isEmpty())) {
            md.append("\n## Headlines\n\n");
            for (Section s : sections) {
                s.headlines().forEach(h -> md.append("- [").append(s.title()).append("](#").append(anchor(s.title()))
                        .append("): ").append(h).append('\n'));
            }
        }
        for (Section s : sections) {
            md.append("\n").append(s.body().strip()).append("\n");
        }
        return md.toString();
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    static String anchor(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    private static Path writeIndex(Path resultsRoot) throws IOException {
        List<Path> reports;
        try (Stream<Path> dirs = Files.list(resultsRoot)) {
            reports = dirs.filter(d -> Files.exists(d.resolve("report.md")))
                    .sorted(Comparator.comparing((Path d) -> d.getFileName().toString()).reversed()).toList();
        }
        StringBuilder md = new StringBuilder("# Benchmark reports\n\nNewest first; each folder holds the data (JSON), ")
                .append("the plots and `report.md`. Regenerate with `bench/run all`.\n\n");
        for (Path d : reports) {
            String name = d.getFileName().toString();
            md.append("- [").append(name).append("](").append(name).append("/report.md)\n");
        }
        Path index = resultsRoot.resolve("README.md");
        Files.writeString(index, md);
        return index;
    }

    /** One benchmark's section: its title (the first {@code ## } line) and its headline lines. */
    record Section(String name, String title, String body, List<String> headlines) {
        static Section parse(String name, String body) {
            String title = body.lines().filter(l -> l.startsWith("## ")).findFirst()
                    .map(l -> l.substring(3).strip())
                    .orElseThrow(() -> new IllegalArgumentException(name + ".md has no '## ' title line"));
            List<String> headlines = body.lines().map(String::strip).filter(l -> l.startsWith(HEADLINE))
                    .map(l -> l.substring(HEADLINE.length()).strip()).toList();
            return new Section(name, title, body, headlines);
        }
    }
}
