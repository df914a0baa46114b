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
     * The longest display name, in characters (code points). The relay refuses a longer one, or
     * one with a control character or a line break, with 4422 (docs/protocol.md): fatal, so the
     * agent checks the same rule before it connects.
     */
    public static final int MAX_DISPLAY_NAME_CHARS = 64;

    public PublisherConfig {
        String scheme = relay.getScheme();
        if (scheme == null || !(scheme.equals("ws") || scheme.equals("wss"))) {
            throw new IllegalArgumentException("relay URL must start with ws:// or wss://, got " + relay);
        }
        StreamName.require(stream);
        displayName = displayName == null ? "" : displayName;
        if (displayName.codePointCount(0, displayName.length()) > MAX_DISPLAY_NAME_CHARS
                || displayName.codePoints().anyMatch(PublisherConfig::breaksALine)) {
            throw new IllegalArgumentException("invalid display name '" + displayName.replaceAll("[\\p{Cc}\\p{Zl}\\p{Zp}]", "?")
                    + "': at most " + MAX_DISPLAY_NAME_CHARS + " characters, no control characters or line breaks");
        }
    }

    /** Control characters (Cc) and line or paragraph separators: what the relay refuses in a display name. */
    private static boolean breaksALine(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** A publisher outside any room (no display name). */
    public PublisherConfig(URI relay, String stream, String token, ProxySettings proxy, TlsSettings tls,
                           long sendQueueBytes, Duration sendQueueAge, Duration connectTimeout,
                           Duration backoffInitial, Duration backoffMax, Duration pingInterval, String clientName) {
        this(relay, stream, token, proxy, tls, sendQueueBytes, sendQueueAge, connectTimeout, backoffInitial, backoffMax,
                pingInterval, clientName, "");
    }

    /** The same with another ping interval (the adaptive bitrate pings more often: a Ping's delay is its signal). */
    public PublisherConfig withPingInterval(Duration interval) {
        return new PublisherConfig(relay, stream, token, proxy, tls, sendQueueBytes, sendQueueAge, connectTimeout,
                backoffInitial, backoffMax, interval, clientName, displayName);
    }

    public URI publishUri() {
        String base = relay.toString().replaceAll("/+$", "");
        String query = token == null || token.isEmpty() ? "" : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        return URI.create(base + "/ws/publish/" + stream + query);
    }
}
