package dev.tunnelcast.server.relay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send pumps one fan-out must start, grouped by the I/O thread that writes to each player:
 * one task per thread runs them all, instead of one task per player (a profile at 500 players
 * had a fifth of the relay's CPU in handing each player's pump to its I/O thread). Collected
 * during the fan-out, started once after it.
 *
 * <p>With a write merge ({@code --player-write-merge}), the task runs that long after the fan-out
 * instead of at once: the messages that arrive meanwhile find the pump scheduled, join its queue
 * and go out in the same gathering write. Only a pump that was idle waits; one already writing or
 * scheduled takes new messages as it would anyway, so no message waits longer than the merge.
 */
final class PumpKicks {

    private static final Logger log = LoggerFactory.getLogger(PumpKicks.class);

    private final Map<Executor, List<PlayerSession>> byWriter = new HashMap<>(4);
    private final long mergeMillis;

    /** Kicks that start their pumps {@code mergeMillis} after {@link #start()}; 0: at once. */
    PumpKicks(long mergeMillis) {
        this.mergeMillis = mergeMillis;
    }

    void add(PlayerSession session) {
        byWriter.computeIfAbsent(session.connection().writer(), writer -> new ArrayList<>()).add(session);
    }

    /** One task per writing thread; each pump runs alone, so that one failing does not hold the others back. */
    void start() {
        for (Map.Entry<Executor, List<PlayerSession>> entry : byWriter.entrySet()) {
            List<PlayerSession> sessions = entry.getValue();
            Runnable pumps = () -> {
                for (PlayerSession session : sessions) {
                    try {
                        session.run();
                    } catch (RuntimeException e) {
                        log.warn("send pump of player {} failed", session.connection().sessionId(), e);
                    }
                }
            };
            try {
                if (mergeMillis > 0) {
                    sessions.get(0).connection().executeAfter(pumps, mergeMillis); // the same thread as the map's key
                } else {
                    entry.getKey().execute(pumps);
                }
            } catch (RejectedExecutionException shuttingDown) {
                // The I/O thread is terminating (relay shutdown): its connections go with it.
                sessions.forEach(PlayerSession::pumpNotStarted);
            }
        }
        byWriter.clear();
    }
}
