package dev.tunnelcast.bench.fuzz;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one Jazzer run printed, as libFuzzer reports it: executions, coverage (edges "cov"
 * and features "ft" of the last status line), corpus size, peak RSS, and the findings
 * (Java exceptions other than OutOfMemoryError count as crashes; libFuzzer's timeouts as
 * hangs; out-of-memory from either side as OOMs).
 */
record LibFuzzerLog(long executions, long edges, long features, long corpusUnits, long peakRssMb,
                    int crashes, int ooms, int hangs, List<String> findings) {

    private static final Pattern STATUS = Pattern.compile("^#(\\d+)\\s+\\S+\\s+cov: (\\d+) ft: (\\d+) corp: (\\d+)/");
    private static final Pattern STAT = Pattern.compile("^stat::(\\w+):\\s+(\\d+)");

    static LibFuzzerLog parse(List<String> lines) {
        long executions = 0;
        long edges = 0;
        long features = 0;
        long corpus = 0;
        long rss = 0;
        int crashes = 0;
        int ooms = 0;
        int hangs = 0;
        List<String> findings = new java.util.ArrayList<>();
        for (String line : lines) {
            Matcher status = STATUS.matcher(line);
            Matcher stat = STAT.matcher(line);
            if (status.find()) {
                executions = Math.max(executions, Long.parseLong(status.group(1)));
                edges = Long.parseLong(status.group(2));
                features = Long.parseLong(status.group(3));
                corpus = Long.parseLong(status.group(4));
            } else if (stat.find()) {
                long value = Long.parseLong(stat.group(2));
                switch (stat.group(1)) {
                    case "number_of_executed_units" -> executions = Math.max(executions, value);
                    case "peak_rss_mb" -> rss = value;
                    default -> { }
                }
            } else if (line.startsWith("== Java Exception: ")) {
                String what = line.substring("== Java Exception: ".length());
                if (what.startsWith("java.lang.OutOfMemoryError")) {
                    ooms++;
                } else {
                    crashes++;
                }
                findings.add(what);
            } else if (line.contains("ERROR: libFuzzer: timeout")) {
                hangs++;
                findings.add(line.trim());
            } else if (line.contains("ERROR: libFuzzer: out-of-memory")) {
                ooms++;
                findings.add(line.trim());
            } else if (line.contains("ERROR: libFuzzer: deadly signal")) {
                crashes++;
                findings.add(line.trim());
            }
        }
        return new LibFuzzerLog(executions, edges, features, corpus, rss, crashes, ooms, hangs, List.copyOf(findings));
    }
}
