package dev.tunnelcast.agent.publish;

import dev.tunnelcast.wire.StreamName;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Where and how to publish. {@code relay} is the relay's base URI ({@code ws://host:port} or
 * {@code wss://host:port}); the publish path is {@code /ws/publish/{stream}?token=…}.
 * {@code proxy} may be null (direct). {@code displayName} is what the other participants of
 * the stream's room see (empty: its participant id). Every bound here is an agent option.
 */
public record PublisherConfig(URI relay, String stream, String token, ProxySettings proxy, TlsSettings tls,
                              long sendQueueBytes, Duration sendQueueAge, Duration connectTimeout,
                              Duration backoffInitial, Duration backoffMax, Duration pingInterval,
                              String clientName, String displayName) {

    /**
     * The longest display name, in UTF-16 units (Java's and JavaScript's length): the relay refuses
     * a longer one with 4422 (docs/protocol.md); the agent says so before it connects.
     */
    public static final int MAX_DISPLAY_NAME_LENGTH = 64;

    public PublisherConfig {
        String scheme = relay.getScheme();
        if (scheme == null || !(scheme.equals("ws") || scheme.equals("wss"))) {
            throw new IllegalArgumentException("relay URL must start with ws:// or wss://, got " + relay);
        }
        StreamName.require(stream);
        displayName = displayName == null ? "" : displayName;
        if (displayName.length() > MAX_DISPLAY_NAME_LENGTH || displayName.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("invalid display name '" + displayName.replaceAll("\\p{Cntrl}", "?")
                    + "': at most " + MAX_DISPLAY_NAME_LENGTH + " characters, no control characters");
        }
    }

    /** A publisher outside any room (no display name). */
    public PublisherConfig(URI relay, String stream, String token, ProxySettings proxy, TlsSettings tls,
                           long sendQueueBytes, Duration sendQueueAge, Duration connectTimeout,
                           Duration backoffInitial, Duration backoffMax, Duration pingInterval, String clientName) {
        this(relay, stream, token, proxy, tls, sendQueueBytes, sendQueueAge, connectTimeout, backoffInitial, backoffMax,
                pingInterval, clientName, "");
    }

    public URI publishUri() {
        String base = relay.toString().replaceAll("/+$", "");
        String query = token == null || token.isEmpty() ? "" : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        return URI.create(base + "/ws/publish/" + stream + query);
    }
}
