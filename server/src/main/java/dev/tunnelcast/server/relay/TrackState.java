package dev.tunnelcast.server.relay;

import dev.tunnelcast.proto.v1.TrackConfig;

/** One announced track of the current publisher: its latest config and last sequence seen. */
final class TrackState {

    final TrackConfig config;
    final RelayedMessage configMessage;
    /** The last accepted sequence number, or -1 before the first packet. */
    long lastSequence;

    TrackState(TrackConfig config, RelayedMessage configMessage, long lastSequence) {
        this.config = config;
        this.configMessage = configMessage;
        this.lastSequence = lastSequence;
    }
}
