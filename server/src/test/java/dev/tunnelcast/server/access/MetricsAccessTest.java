package dev.tunnelcast.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunnelcast.server.Relay;
import dev.tunnelcast.server.testing.TestRelays;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** {@code /metrics}: a scrape token, a management listener, and closed by default when tokens are on. */
class MetricsAccessTest {

    static final String SECRET = "metrics-secret-0123456789";
    static final String SCRAPE = "scrape-token-abcdef";

    static URI metrics(Relay relay) {
        return relay.baseUri().resolve("/metrics");
    }

    @Test
    void tokensOnAndNoScrapeAccessConfiguredRefusesScrapes() throws Exception {
        try (Relay relay = Relay.start(TestRelays.config().tokenSecret(SECRET).build())) {
            HttpResponse<String> refused = TestRelays.get(metrics(relay));
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(new ObjectMapper().readTree(refused.body()).path("reason").asText()).isEqualTo(ScrapeAccess.NOT_CONFIGURED);
        }
    }

    @Test
    void aScrapeTokenIsABearerToken() {
        AccessConfig access = AccessConfig.defaults().withMetricsToken(SCRAPE);
        try (Relay relay = Relay.start(TestRelays.config().tokenSecret(SECRET).access(access).build())) {
            HttpResponse<String> missing = TestRelays.get(metrics(relay));
            assertThat(missing.statusCode()).isEqualTo(401);
            assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(missing.body()).contains("scrape token missing");
            assertThat(TestRelays.get(metrics(relay), "Authorization", "Bearer wrong").body()).contains("scrape token invalid");
            assertThat(TestRelays.get(URI.create(metrics(relay) + "?token=" + SCRAPE)).statusCode())
                    .as("only the header: scrape tokens never travel in URLs").isEqualTo(401);

            HttpResponse<String> scrape = TestRelays.get(metrics(relay), "Authorization", "Bearer " + SCRAPE);
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains(
                    "tunnelcast_http_refusals_total{reason=\"scrape token invalid\",route=\"/metrics\",status=\"401\"} 1.0");
        }
        // without a stream secret too
        try (Relay relay = Relay.start(TestRelays.config().access(access).build())) {
            assertThat(TestRelays.get(metrics(relay)).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aManagementListenerServesMetricsAndTheMainOneNoLonger() {
        AccessConfig access = AccessConfig.defaults().withMetricsBind(InetSocketAddress.createUnresolved("127.0.0.1", 0));
        try (Relay relay = Relay.start(TestRelays.config().tokenSecret(SECRET).access(access).build())) {
            assertThat(relay.metricsPort()).isPositive().isNotEqualTo(relay.port());
            URI management = URI.create("http://127.0.0.1:" + relay.metricsPort());
            assertThat(TestRelays.get(management.resolve("/metrics")).body()).contains("tunnelcast_connections_open");
            assertThat(TestRelays.get(management.resolve("/healthz")).statusCode()).isEqualTo(200);
            assertThat(TestRelays.get(management.resolve("/api/streams")).statusCode()).isEqualTo(404);
            assertThat(TestRelays.get(metrics(relay)).statusCode()).isEqualTo(404);
        }
        AccessConfig both = access.withMetricsToken(SCRAPE);
        try (Relay relay = Relay.start(TestRelays.config().access(both).build())) {
            URI scrape = URI.create("http://127.0.0.1:" + relay.metricsPort() + "/metrics");
            assertThat(TestRelays.get(scrape).statusCode()).isEqualTo(401);
            assertThat(TestRelays.get(scrape, "Authorization", "Bearer " + SCRAPE).statusCode()).isEqualTo(200);
        }
    }
}
