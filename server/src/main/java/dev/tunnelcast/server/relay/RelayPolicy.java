package dev.tunnelcast.server.relay;

import java.time.Duration;

/**
 * How the relay core treats streams and their clients: the limits, the per-player queue
 * bounds, the GOP cache size, the grace period and takeover. Plain values, so that the core
 * does not depend on where they were configured.
 *
 * @param maxStreams           streams with a publisher at once
 * @param maxPlayersPerStream  players of one stream
 * @param maxPlayers           players in all
 * @param playerQueueBytes     a player's queue bound in bytes
 * @param playerQueueAge       a player's queue bound in age of the oldest message
 * @param slowPlayerTimeout    how long a player may stay behind before it is closed (4408)
 * @param gopCacheBytes        the GOP cache bound per stream
 * @param gracePeriod          how long players wait for a publisher to return (then 4410)
 * @param allowTakeover        a second publisher replaces the first instead of being refused
 * @param maxRoomSize          members of one room (streams {@code room.participant} with a publisher)
 * @param layers               when players move between simulcast layers
 * @param playerKernelBufferBytes what a player socket's kernel send buffer can hold (0: not known)
 * @param playerWriteMerge     how long a fan-out's pump starts wait, so that more messages share a
 *                             player's write ({@link PumpKicks}); zero: they start at once
 */
public record RelayPolicy(int maxStreams, int maxPlayersPerStream, int maxPlayers,
                          long playerQueueBytes, Duration playerQueueAge, Duration slowPlayerTimeout,
                          long gopCacheBytes, Duration gracePeriod, boolean allowTakeover, int maxRoomSize,
                          LayerSettings layers, long playerKernelBufferBytes,
                          Duration playerWriteMerge) {
}
