package dev.tunnelcast.bench.jitter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunnelcast.bench.impair.LinkStats;

/**
 * One measured window of one cell (network profile × jitter-buffer setting), from the
 * player's stats at the window's start ({@code first}) and end ({@code last}).
 */
record CellRun(String profile, String setting, int repeat, double seconds, double pixelP50Ms, double pixelP95Ms,
               long pixelSamples, double concealedPercent, long underruns, int videoStalls, double videoFrozenMs,
               double longestStallMs, double avOffsetP50Ms, double jitterBufferTargetMs, double jitterBufferDepthMs,
               double audioJitterMs, long framesShown, long reconnects, double linkMeanHeldMs, double linkMaxHeldMs,
               double otherProcessesCores, String loadAverage) {

    static CellRun of(String profile, String setting, int repeat, double seconds, JsonNode collected,
                      StallWatch.Stalls stalls, LinkStats downstream, double otherCores, String loadAverage) {
        JsonNode first = collected.path("first");
        JsonNode last = collected.path("last");
        double played = delta(first, last, "audioPlayedMs");
        double concealed = delta(first, last, "audioConcealedMs");
        return new CellRun(profile, setting, repeat, seconds,
                last.path("latencyPixelMs").path("p50").asDouble(Double.NaN),
                last.path("latencyPixelMs").path("p95").asDouble(Double.NaN),
                last.path("latencyPixelMs").path("samples").asLong(),
                played > 0 ? 100 * concealed / played : Double.NaN,
                (long) delta(first, last, "audioUnderruns"),
                stalls.count(), stalls.frozenMs(), stalls.longestMs(),
                last.path("avOffsetMs").path("p50").asDouble(Double.NaN),
                last.path("jitterBufferTargetMs").asDouble(Double.NaN),
                last.path("jitterBufferDepthMs").asDouble(Double.NaN),
                last.path("jitterMs").asDouble(Double.NaN),
                (long) delta(first, last, "framesShown"),
                (long) delta(first, last, "reconnects"),
                downstream.meanHeldMs(), downstream.maxHeldMs(), otherCores, loadAverage);
    }

    /** A stats field's growth from {@code first} to {@code last}. */
    static double delta(JsonNode first, JsonNode last, String field) {
        return last.path(field).asDouble() - first.path(field).asDouble();
    }

    /** Video stalls per minute of this window. */
    double stallsPerMinute() {
        return videoStalls * 60 / seconds;
    }
}
