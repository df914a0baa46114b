package dev.tunnelcast.server.transport;

import java.net.InetAddress;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Places held by client addresses, bounded in all and per address: what the relay counts of
 * connections that cost it a socket and give nothing yet ({@link PendingConnections},
 * {@link IdleConnections}). Thread-safe; a place taken is given back exactly once by its holder.
 */
final class AddressQuota {

    /** The bound that refused a place; its tag in the refusal counters. */
    enum Bound {
        TOTAL, ADDRESS;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final int max;
    private final int maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    AddressQuota(int max, int maxPerAddress) {
        this.max = max;
        this.maxPerAddress = maxPerAddress;
    }

    /** Takes a place for {@code address}: null when taken, else the bound that refused it. */
    Bound tryTake(InetAddress address) {
        if (total.incrementAndGet() > max) {
            total.decrementAndGet();
            return Bound.TOTAL;
        }
        boolean[] admitted = {false};
        perAddress.compute(address, (a, n) -> {
            int now = n == null ? 0 : n;
            if (now >= maxPerAddress) {
                return n;
            }
            admitted[0] = true;
            return now + 1;
        });
        if (!admitted[0]) {
            total.decrementAndGet();
            return Bound.ADDRESS;
        }
        return null;
    }

    /** Gives back a place {@link #tryTake} gave {@code address}. */
    void give(InetAddress address) {
        perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        total.decrementAndGet();
    }

    AtomicInteger total() {
        return total;
    }

    int max() {
        return max;
    }

    int maxPerAddress() {
        return maxPerAddress;
    }
}
