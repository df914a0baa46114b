package dev.tunnelcast.bench.impair;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What one direction of the proxy did, over all its connections. */
final class LinkCounters {
    final LongAdder bytes = new LongAdder();
    final LongAdder chunks = new LongAdder();
    /** Time from a chunk leaving the bottleneck (stall, cap) to its write, summed (delay, jitter, head-of-line blocking). */
    final LongAdder heldNanos = new LongAdder();
    final AtomicLong maxHeldNanos = new AtomicLong();
    final LongAdder stalls = new LongAdder();
    /** Time the reader waited for the rate cap (its backpressure on the sender). */
    final LongAdder capWaitNanos = new LongAdder();

    void held(long nanos) {
        heldNanos.add(nanos);
        maxHeldNanos.accumulateAndGet(nanos, Math::max);
    }

    LinkStats snapshot() {
        long n = chunks.sum();
        return new LinkStats(bytes.sum(), n, n == 0 ? 0 : heldNanos.sum() / 1e6 / n, maxHeldNanos.get() / 1e6,
                stalls.sum(), capWaitNanos.sum() / 1e6);
    }
}
