package dev.tunnelcast.server.relay;

import dev.tunnelcast.proto.v1.TrackConfig;

/** One announced track of the current publisher: its latest config and last sequence seen. */
final class TrackState {

    final TrackConfig config;
    final RelayedMessage configMessage;
    /** The last accepted sequence number (unsigned 64-bit), once {@link #sequenced}. */
    long lastSequence;
    /** Whether a packet was accepted: every 64-bit value is a sequence, so none can mean "not yet". */
    boolean sequenced;

    /** A track's (re-)announcement; {@code previous} is its state before, or null. */
    TrackState(TrackConfig config, RelayedMessage configMessage, TrackState previous) {
        this.config = config;
        this.configMessage = configMessage;
        if (previous != null) {
            this.lastSequence = previous.lastSequence;
            this.sequenced = previous.sequenced;
        }
    }
}
