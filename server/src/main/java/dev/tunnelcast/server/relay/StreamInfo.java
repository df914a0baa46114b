package dev.tunnelcast.server.relay;

import dev.tunnelcast.proto.v1.TrackConfig;
import java.util.List;

/**
 * A consistent snapshot of one stream for the REST API.
 *
 * @param tracks                  each track's TrackConfig; a simulcast track's, one per layer, top first
 * @param publisherAddress        the publisher's remote address, or null when none
 * @param publisherUptimeSeconds  how long the current publisher has been publishing (0: none)
 */
public record StreamInfo(
        String name,
        Stream.State state,
        List<TrackConfig> tracks,
        String publisherAddress,
        long publisherUptimeSeconds,
        int players,
        long bitrateInBitsPerSecond,
        long bitrateOutBitsPerSecond,
        long drops) {
}
