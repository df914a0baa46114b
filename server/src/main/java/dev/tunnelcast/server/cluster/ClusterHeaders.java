package dev.tunnelcast.server.cluster;

import dev.tunnelcast.server.relay.PublisherHello;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The NATS headers that mark a message as something other than a stream's envelope: a
 * publisher's online/offline event on the media subject, a request on the control subject.
 * Envelopes themselves travel without headers, byte for byte.
 */
final class ClusterHeaders {

    static final String EVENT = "Tunnelcast-Event";
    static final String ONLINE = "online";
    static final String OFFLINE = "offline";
    static final String REQUEST = "Tunnelcast-Request";
    static final String CONFIGS = "configs";
    static final String KEYFRAME = "keyframe";
    static final String NODE = "Tunnelcast-Node";
    private static final String INSTANCE = "Tunnelcast-Instance";
    /** URL-encoded: header values are ASCII, display names are not. */
    private static final String DISPLAY_NAME = "Tunnelcast-Display-Name";
    static final String DETAIL = "Tunnelcast-Detail";

    private ClusterHeaders() {}

    /** The event or request a message carries, or null for an envelope. */
    static String kind(Message message, String header) {
        return message.hasHeaders() ? message.getHeaders().getFirst(header) : null;
    }

    static Headers publisher(String kindHeader, String kind, String node, PublisherHello hello) {
        Headers headers = new Headers().put(kindHeader, kind).put(NODE, node);
        if (hello != null) {
            headers.put(INSTANCE, hello.instanceId().isEmpty() ? "-" : hello.instanceId());
            headers.put(DISPLAY_NAME, hello.displayName().isEmpty() ? "-"
                    : URLEncoder.encode(hello.displayName(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    /**
     * The publisher's hello as other nodes use it. Its instance id is never empty: a node that
     * re-joins the same publication takes its own earlier copy over instead of being refused.
     */
    static PublisherHello hello(Message message) {
        Headers headers = message.getHeaders();
        String node = headers.getFirst(NODE);
        String instance = headers.getFirst(INSTANCE);
        String displayName = headers.getFirst(DISPLAY_NAME);
        return new PublisherHello(displayName == null || displayName.equals("-") ? ""
                : URLDecoder.decode(displayName, StandardCharsets.UTF_8), false,
                instance == null || instance.equals("-") ? "cluster-node-" + node : instance);
    }

    static String node(Message message) {
        return message.hasHeaders() ? message.getHeaders().getFirst(NODE) : null;
    }
}
