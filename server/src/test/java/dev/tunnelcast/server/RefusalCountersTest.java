package dev.tunnelcast.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.server.access.AccessConfig;
import dev.tunnelcast.server.archive.ArchiveConfig;
import dev.tunnelcast.server.testing.TestRelays;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refusal counters are exported at zero for every label value they can take, from the first
 * scrape on: a dashboard or an alert on {@code rate(...)} sees them before the first refusal.
 */
class RefusalCountersTest {

    static final String SCRAPE = "scrape-token-0123456789";

    @Test
    void aFirstScrapeShowsEveryRefusalAtZero(@TempDir Path dir) {
        AccessConfig access = AccessConfig.defaults().withMetricsToken(SCRAPE);
        try (Relay relay = Relay.start(TestRelays.config().tokenSecret("refusals-secret-0123456789").access(access)
                .archive(ArchiveConfig.defaults(dir)).build())) {
            HttpResponse<String> scrape = TestRelays.get(relay.baseUri().resolve("/metrics"), "Authorization", "Bearer " + SCRAPE);
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains(
                    http("origin not allowed", "/ws/publish/{stream}", 403),
                    http("origin not allowed", "/ws/play/{stream}", 403),
                    http("token missing", "/api/streams", 401),
                    http("token is for action publish", "/api/streams", 403),
                    http("token expired", "/api/streams/{stream}", 401),
                    http("token is for another stream", "/api/streams/{stream}", 403),
                    http("token signature invalid", "/api/streams/{stream}/recordings", 401),
                    http("token malformed", "/api/streams/{stream}/recordings/{id}", 401),
                    http("token is for another stream", "/api/streams/{stream}/archive.m3u8", 403),
                    http("scrape token missing", "/metrics", 401),
                    http("scrape token invalid", "/metrics", 401),
                    "tunnelcast_refusals_total{code=\"4401\",name=\"unauthorized\"} 0.0",
                    "tunnelcast_refusals_total{code=\"4429\",name=\"too_many\"} 0.0",
                    "tunnelcast_pending_refusals_total{bound=\"address\"} 0.0",
                    "tunnelcast_idle_refusals_total{bound=\"total\",listener=\"main\"} 0.0",
                    "tunnelcast_archive_packets_discarded_total{reason=\"waiting-for-keyframe\"} 0.0",
                    "tunnelcast_archive_packets_discarded_total{reason=\"disk-fault\"} 0.0");
            assertThat(scrape.body()).as("no series for a route the /api/streams list check never refuses so")
                    .doesNotContain(http("token is for another stream", "/api/streams", 403));
        }
    }

    /** Without a token secret only what can still be refused is there: foreign origins. */
    @Test
    void withoutTokensOnlyOriginRefusalsAreRegistered() {
        try (Relay relay = Relay.start(TestRelays.config().build())) {
            String body = TestRelays.get(relay, "/metrics").body();
            assertThat(body).contains(http("origin not allowed", "/ws/play/{stream}", 403))
                    .doesNotContain("reason=\"token missing\"", "route=\"/metrics\"");
        }
    }

    static String http(String reason, String route, int status) {
        return "tunnelcast_http_refusals_total{reason=\"" + reason + "\",route=\"" + route + "\",status=\"" + status + "\"} 0.0";
    }
}
