package dev.tunnelcast.e2e;

import dev.tunnelcast.agent.AgentConfig;
import dev.tunnelcast.agent.encode.OpusSettings;
import dev.tunnelcast.agent.encode.VideoEncoderSettings;
import dev.tunnelcast.agent.publish.ProxySettings;
import dev.tunnelcast.agent.publish.PublisherConfig;
import dev.tunnelcast.agent.publish.TlsSettings;
import dev.tunnelcast.server.RelayConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Small agents and relays for end-to-end tests: loopback, port 0, 640x360 synthetic source. */
final class AgentFixtures {

    static final int FPS = 30;
    static final int GOP = 30;

    private AgentFixtures() {}

    static RelayConfig.Builder relay() {
        return RelayConfig.builder().bindAddress("127.0.0.1").port(0).ioThreads(2).workerThreads(2);
    }

    static AgentConfig agent(URI relay, String stream, ProxySettings proxy, TlsSettings tls) {
        return agent(List.of(relay), stream, proxy, tls);
    }

    /** An agent given several relays (a cluster's nodes): each reconnect goes to the next. */
    static AgentConfig agent(List<URI> relays, String stream, ProxySettings proxy, TlsSettings tls) {
        PublisherConfig publisher = new PublisherConfig(relays, stream, "", proxy, tls, 2 << 20, Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(2), "e2e-agent", "");
        VideoEncoderSettings video = new VideoEncoderSettings("libx264", 640, 360, FPS, 1_000_000, 0, "ultrafast",
                "high", "", GOP, 1);
        return AgentConfig.builder(publisher).videoEncoder(video).opus(OpusSettings.defaults()).build();
    }
}
