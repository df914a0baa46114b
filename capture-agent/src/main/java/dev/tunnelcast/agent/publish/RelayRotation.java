package dev.tunnelcast.agent.publish;

import java.net.URI;
import java.util.List;

/**
 * Which of the agent's relay URLs (a cluster's nodes, in the order given) the next connection
 * attempt uses: the same one until a connection is lost or an attempt fails, then the next,
 * round the list. A node that died is left at once; the backoff between attempts is the
 * publisher's, so a list of dead nodes is not hammered.
 */
public final class RelayRotation {

    private final List<URI> relays;
    private int current;

    public RelayRotation(List<URI> relays) {
        if (relays.isEmpty()) {
            throw new IllegalArgumentException("at least one relay URL");
        }
        this.relays = List.copyOf(relays);
    }

    /** The relay the next attempt connects to. */
    public URI current() {
        return relays.get(current);
    }

    /** Moves on after a lost connection or a failed attempt; returns the relay to try next. */
    public URI next() {
        current = (current + 1) % relays.size();
        return current();
    }

    public int size() {
        return relays.size();
    }
}
