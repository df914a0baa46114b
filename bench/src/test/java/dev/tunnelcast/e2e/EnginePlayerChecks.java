package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What "plays live with audio" means for the player in an engine other than Chromium, from the
 * first and last stats of a measurement: video advances and its stamps are read, audio plays
 * through the worklet against the AudioContext's own clock, and video follows it. Bounds as in
 * {@link PlayerE2ETest}: far from a working player on a loaded machine and from a broken one.
 */
final class EnginePlayerChecks {

    private EnginePlayerChecks() {
    }

    static void assertPlaysLiveWithAudio(String engine, JsonNode run, Duration measured) {
        long frames = assertVideoAdvances(engine, run, measured);
        assertAudioPlays(engine, run, measured);
        JsonNode av = run.path("last").path("avOffsetMs");
        assertThat(av.path("samples").asInt()).as("frames with an A/V offset").isGreaterThan((int) (frames * 0.8));
        assertThat(av.path("p50").asDouble()).as("A/V offset p50, ms").isBetween(-150.0, 150.0);
    }

    /** Video advances, its frame stamps are read and it is live; answers the frames shown. */
    static long assertVideoAdvances(String engine, JsonNode run, Duration measured) {
        JsonNode first = run.path("first");
        JsonNode last = run.path("last");
        double seconds = measured.toMillis() / 1000.0;
        System.out.printf("%s player stats after %s (load average %s): %s%n", engine, measured, loadAverage(), last.toPrettyString());
        assertThat(last.path("state").asText()).isEqualTo("playing");
        long frames = last.path("framesShown").asLong() - first.path("framesShown").asLong();
        assertThat(frames / seconds).as("frames shown per second (video advances; 30 sent)").isGreaterThan(5);
        long stamps = last.path("pixelStampsRead").asLong() - first.path("pixelStampsRead").asLong();
        assertThat(stamps).as("frames whose stamp was read").isGreaterThan((long) (frames * 0.8));
        assertThat(last.path("lastPixelStamp").asLong()).as("the newest frame stamp moved on")
                .isGreaterThan(first.path("lastPixelStamp").asLong());
        assertThat(last.path("latencyPixelMs").path("p50").asDouble()).as("pixel latency p50 (plays live), ms").isBetween(1.0, 1000.0);
        return frames;
    }

    /** Audio is decoded and played through the worklet against the AudioContext's own clock, not concealment. */
    static void assertAudioPlays(String engine, JsonNode run, Duration measured) {
        JsonNode first = run.path("first");
        JsonNode last = run.path("last");
        double seconds = measured.toMillis() / 1000.0;
        assertThat(last.path("audioRunning").asBoolean()).as("AudioContext running (a sound server is there)").isTrue();
        assertThat(last.path("audioStartFailures").asInt()).isZero();
        long packets = last.path("audioPacketsDecoded").asLong() - first.path("audioPacketsDecoded").asLong();
        assertThat(packets / seconds).as("Opus packets decoded per second (50 sent)").isGreaterThan(45);
        double deviceMs = last.path("audioContextTimeMs").asDouble() - first.path("audioContextTimeMs").asDouble();
        double played = last.path("audioPlayedMs").asDouble() - first.path("audioPlayedMs").asDouble();
        double concealed = last.path("audioConcealedMs").asDouble() - first.path("audioConcealedMs").asDouble();
        System.out.printf("%s audio: AudioContext clock advanced %.0f ms in %.0f ms; worklet played %.0f ms, %.0f ms concealed%n",
                engine, deviceMs, seconds * 1000, played, concealed);
        assertThat(deviceMs).as("AudioContext clock advanced, ms").isGreaterThan(seconds * 1000 * 0.5);
        assertThat(played).as("audio played through the worklet vs the AudioContext clock, ms").isGreaterThan(deviceMs * 0.97);
        assertThat(played - concealed).as("decoded audio played (not concealment), ms").isGreaterThan(played * 0.75);
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
