package dev.tunnelcast.server.relay;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * What a node needs to join a live stream mid-way: the publisher's hello and its current
 * TrackConfigs, as the publisher sent them (read-only, shared: read duplicates).
 */
public record PublicationSnapshot(PublisherHello hello, List<ByteBuffer> trackConfigs) {
}
