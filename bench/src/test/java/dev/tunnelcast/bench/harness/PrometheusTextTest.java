package dev.tunnelcast.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    /** A tagged histogram as Micrometer's Prometheus registry writes it: audio fast, keyframes slow. */
    private static String scrape(int audioFast, int keyframesSlow) {
        return """
                # TYPE tunnelcast_relay_latency_seconds histogram
                tunnelcast_relay_latency_seconds_bucket{kind="audio",le="0.001"} %d
                tunnelcast_relay_latency_seconds_bucket{kind="audio",le="0.016"} %d
                tunnelcast_relay_latency_seconds_bucket{kind="audio",le="+Inf"} %d
                tunnelcast_relay_latency_seconds_bucket{kind="keyframe",le="0.001"} 0
                tunnelcast_relay_latency_seconds_bucket{kind="keyframe",le="0.016"} %d
                tunnelcast_relay_latency_seconds_bucket{kind="keyframe",le="+Inf"} %d
                """.formatted(audioFast, audioFast, audioFast, keyframesSlow, keyframesSlow);
    }

    @Test
    void aLabelPicksItsOwnSeriesAndNoLabelSumsThemAll() {
        String before = scrape(0, 0);
        String after = scrape(990, 10);
        String histogram = "tunnelcast_relay_latency_seconds";

        assertThat(PrometheusText.buckets(after, histogram, "kind=\"audio\"")).containsEntry(0.001, 990.0).containsEntry(0.016, 990.0);
        assertThat(PrometheusText.buckets(after, histogram)).containsEntry(0.001, 990.0).containsEntry(0.016, 1000.0);
        assertThat(PrometheusText.percentileBetween(PrometheusText.buckets(before, histogram, "kind=\"audio\""),
                PrometheusText.buckets(after, histogram, "kind=\"audio\""), 99)).isEqualTo(0.001);
        assertThat(PrometheusText.percentileBetween(PrometheusText.buckets(before, histogram, "kind=\"keyframe\""),
                PrometheusText.buckets(after, histogram, "kind=\"keyframe\""), 99)).isEqualTo(0.016);
        // Over all messages the keyframes are 1 %: the p99 is the audio's bucket, as the relay-added p99 column has it.
        assertThat(PrometheusText.percentileBetween(PrometheusText.buckets(before, histogram),
                PrometheusText.buckets(after, histogram), 99)).isEqualTo(0.001);
    }
}
