package dev.tunnelcast.agent.publish;

import dev.tunnelcast.wire.StreamName;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Where and how to publish. {@code relay} is the relay's base URI ({@code ws://host:port} or
 * {@code wss://host:port}); the publish path is {@code /ws/publish/{stream}?token=…}.
 * {@code proxy} may be null (direct). Every bound here is an agent option.
 */
public record PublisherConfig(URI relay, String stream, String token, ProxySettings proxy, TlsSettings tls,
                              long sendQueueBytes, Duration sendQueueAge, Duration connectTimeout,
                              Duration backoffInitial, Duration backoffMax, Duration pingInterval,
                              String clientName) {

    public PublisherConfig {
        String scheme = relay.getScheme();
        if (scheme == null || !(scheme.equals("ws") || scheme.equals("wss"))) {
            throw new IllegalArgumentException("relay URL must start with ws:// or wss://, got " + relay);
        }
        StreamName.require(stream);
    }

    public URI publishUri() {
        String base = relay.toString().replaceAll("/+$", "");
        String query = token == null || token.isEmpty() ? "" : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        return URI.create(base + "/ws/publish/" + stream + query);
    }
}
