package dev.tunnelcast.server.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WebSockets that are open but have not sent their {@code Hello} yet, counted in all and per
 * client address, each count with a bound ({@code --max-pending-connections},
 * {@code --max-pending-per-address}). Such a connection costs the relay a socket and a timer
 * and gives nothing; the bounds keep one address (or everyone) from holding many of them
 * within the Hello timeout. Exported as {@code tunnelcast_connections_pending} and
 * {@code tunnelcast_pending_refusals_total{bound}}.
 */
public final class PendingConnections {

    private final AddressQuota quota;
    private final Counter refusedTotal;
    private final Counter refusedAddress;

    public PendingConnections(int max, int maxPerAddress, MeterRegistry registry) {
        this.quota = new AddressQuota(max, maxPerAddress);
        Gauge.builder("tunnelcast.connections.pending", quota.total(), AtomicInteger::get)
                .description("WebSockets open that have not sent Hello yet").register(registry);
        refusedTotal = refusals(registry, AddressQuota.Bound.TOTAL.tag());
        refusedAddress = refusals(registry, AddressQuota.Bound.ADDRESS.tag());
    }

    private static Counter refusals(MeterRegistry registry, String bound) {
        return Counter.builder("tunnelcast.pending.refusals").tag("bound", bound)
                .description("WebSockets refused (4429) because too many were waiting for their Hello").register(registry);
    }

    /** One connection's place among the pending ones, or why it got none. */
    final class Place {
        private final InetAddress address;
        private final String refusal;
        private final AtomicBoolean held;

        private Place(InetAddress address, String refusal) {
            this.address = address;
            this.refusal = refusal;
            this.held = new AtomicBoolean(refusal == null);
        }

        /** Why the connection got no place (close it with 4429), or null. */
        String refusal() {
            return refusal;
        }

        /** The connection sent its Hello, or is closing: the place is free again. Idempotent. */
        void leave() {
            if (held.compareAndSet(true, false)) {
                quota.give(address);
            }
        }
    }

    /** Counts one more pending connection from {@code address}, if the bounds allow it. */
    Place enter(InetAddress address) {
        return new Place(address, tryEnter(address));
    }

    private String tryEnter(InetAddress address) {
        AddressQuota.Bound refused = quota.tryTake(address);
        if (refused == AddressQuota.Bound.TOTAL) {
            refusedTotal.increment();
            return "too many connections waiting for their Hello (--max-pending-connections " + quota.max() + ")";
        }
        if (refused == AddressQuota.Bound.ADDRESS) {
            refusedAddress.increment();
            return "too many connections from " + address.getHostAddress()
                    + " waiting for their Hello (--max-pending-per-address " + quota.maxPerAddress() + ")";
        }
        return null;
    }

    public int count() {
        return quota.total().get();
    }
}
