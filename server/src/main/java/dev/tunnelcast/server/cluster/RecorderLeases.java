package dev.tunnelcast.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunnelcast.server.archive.RecordingLeases;
import dev.tunnelcast.server.relay.PublisherHello;
import dev.tunnelcast.server.relay.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One recorder per stream across the cluster: a node records a stream only while it holds
 * the stream's lease, a key that expires after the lease time unless its holder renews it
 * (docs/cluster.md, "One recorder per stream"). Only a node with a local publisher of the
 * stream wants the lease. It takes it when absent, when its own, or, as the publisher arrives,
 * from another node for the same publisher instance (the publisher moved here); it renews every
 * {@link #renewEvery}; it loses it on a failed compare-and-set (another node took it) or when
 * NATS stayed unreachable until its own clock says the lease ran out; it gives it back when the
 * publisher leaves. The revision at which it was taken is its fencing token.
 *
 * <p>Store operations run under this object's lock: on the claim path (the publisher's Hello,
 * as the directory's claim) and on the cluster thread; {@link #fencingToken}, asked on every
 * recorded packet, takes no lock and checks the lease's time by this node's clock itself.
 */
final class RecorderLeases implements RecordingLeases, StreamObserver {

    private static final Logger log = LoggerFactory.getLogger(RecorderLeases.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long before the store would expire it a holder cut off from NATS gives its lease up. */
    private static final Duration SAFETY_MARGIN = Duration.ofSeconds(1);
    /**
     * Reads and compare-and-sets of an arriving publisher's lease: a conflict is most likely the old
     * holder's renewal (one per third of the lease), so a second read nearly always settles it.
     */
    private static final int ARRIVAL_ATTEMPTS = 3;

    /** A lease this node holds: its fencing token, its current revision, and since when it is surely valid. */
    private record Held(long token, long revision, long validFromNanos) {
    }

    /** A local publisher's wish for the lease, since its claim. */
    private record Want(String instanceId, long sinceNanos) {
    }

    private final LeaseStore store;
    private final String node;
    private final Duration ttl;
    private final ClusterMetrics metrics;
    private final LongSupplier nanoClock;
    private final Predicate<String> recorded;
    private final Predicate<String> publishedHere;
    private final Executor clusterThread;
    private final CopyOnWriteArrayList<Consumer<String>> lostListeners = new CopyOnWriteArrayList<>();
    /** Streams with a local publisher, which want the lease, with the publisher's instance id. */
    private final Map<String, Want> wanted = new HashMap<>();
    private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();

    /**
     * @param recorded      which streams this node's archive records (the others want no lease)
     * @param publishedHere whether a stream still has a publisher on this node
     */
    RecorderLeases(LeaseStore store, String node, Duration ttl, ClusterMetrics metrics, LongSupplier nanoClock,
                   Predicate<String> recorded, Predicate<String> publishedHere, Executor clusterThread) {
        this.store = store;
        this.node = node;
        this.ttl = ttl;
        this.metrics = metrics;
        this.nanoClock = nanoClock;
        this.recorded = recorded;
        this.publishedHere = publishedHere;
        this.clusterThread = clusterThread;
    }

    /** How often the cluster thread calls {@link #renew}: a third of the lease time. */
    Duration renewEvery() {
        return ttl.dividedBy(3);
    }

    /**
     * Empty also while the lease has not been renewed for as long as the store may keep it (by
     * this node's clock, less {@link #SAFETY_MARGIN}): a node starved or paused past its renewal
     * tick must not record a stream another node may hold by now. A late renewal that still finds
     * the key this node's gives the token back.
     */
    @Override
    public OptionalLong fencingToken(String stream) {
        Held lease = held.get(stream);
        return lease == null || ranOut(lease, nanoClock.getAsLong()) ? OptionalLong.empty() : OptionalLong.of(lease.token());
    }

    private boolean ranOut(Held lease, long nowNanos) {
        return nowNanos - lease.validFromNanos() >= ttl.minus(SAFETY_MARGIN).toNanos();
    }

    @Override
    public void onLost(Consumer<String> listener) {
        lostListeners.add(listener);
    }

    /**
     * A publisher of {@code stream} arrives here (its claim was granted): take the lease if it is
     * free, ours, or held elsewhere for this same publisher instance. Failing that, the node
     * does not record and {@link #renew} tries again while the publisher stays.
     */
    synchronized void take(String stream, PublisherHello hello) {
        if (!recorded.test(stream)) {
            return;
        }
        wanted.put(stream, new Want(hello.instanceId(), nanoClock.getAsLong()));
        if (!held.containsKey(stream)) {
            acquire(stream, true);
        }
    }

    @Override
    public void publisherStopped(String stream, String sessionId) {
        clusterThread.execute(() -> releaseIfUnwanted(stream));
    }

    /** Periodic, on the cluster thread: renew what this node holds, try again for what it wants. */
    synchronized void renew() {
        for (Map.Entry<String, Held> entry : List.copyOf(held.entrySet())) {
            String stream = entry.getKey();
            if (!wanted.containsKey(stream)) {
                release(stream);
                continue;
            }
            long started = nanoClock.getAsLong(); // before the write: the store's expiry counts from later
            try {
                long revision = store.update(StreamSubjects.leaseKey(stream), value(stream), entry.getValue().revision());
                if (ranOut(entry.getValue(), started)) {
                    log.info("recorder lease of stream {} renewed {} ms after it ran out by this node's clock (this node"
                            + " was starved or paused): not recorded meanwhile", stream,
                            (started - entry.getValue().validFromNanos()) / 1_000_000);
                }
                held.put(stream, new Held(entry.getValue().token(), revision, started));
            } catch (LeaseStore.Conflict moved) {
                renewAfterConflict(stream, entry.getValue(), started);
            } catch (IOException unreachable) {
                long heldFor = started - entry.getValue().validFromNanos();
                if (heldFor >= ttl.minus(SAFETY_MARGIN).toNanos()) {
                    lose(stream, "NATS unreachable (" + unreachable.getMessage() + ") until the lease ran out by this"
                            + " node's clock");
                }
            }
        }
        for (Map.Entry<String, Want> entry : List.copyOf(wanted.entrySet())) {
            String stream = entry.getKey();
            if (!publishedHere.test(stream) && nanoClock.getAsLong() - entry.getValue().sinceNanos() > renewEvery().toNanos()) {
                release(stream); // claimed, but its publisher never started here (refused by the stream itself)
            } else if (!held.containsKey(stream)) {
                acquire(stream, false);
            }
        }
    }

    /**
     * A renewal's compare-and-set failed: another node took the lease, unless the key still names
     * this node. Then the revision moved on by a write of this node's own whose reply it never got
     * (a renewal that timed out on a busy node, yet was written: only this node writes its name),
     * and the renewal goes on from that revision with the same fencing token.
     */
    private void renewAfterConflict(String stream, Held lease, long started) {
        String key = StreamSubjects.leaseKey(stream);
        String why;
        try {
            LeaseStore.Versioned current = store.get(key);
            if (current != null && node.equals(holder(current)) && current.revision() > lease.revision()) {
                long revision = store.update(key, value(stream), current.revision());
                held.put(stream, new Held(lease.token(), revision, started));
                log.info("recorder lease of stream {} renewed over a write of this node's whose reply was lost", stream);
                return;
            }
            // Gone: not renewed within the lease time (this node busy or paused), or deleted.
            why = current == null ? "its key expired or was deleted" : "node " + holder(current) + " took it";
        } catch (LeaseStore.Conflict | IOException unsure) {
            why = "its compare-and-set failed and the key could not be read again (" + unsure.getMessage() + ")";
        }
        lose(stream, why);
    }

    /**
     * Another node announced a publisher of {@code stream} (a takeover): if that node took the
     * lease, this node learns it now, before its own publisher is closed, rather than at its next renewal.
     */
    synchronized void verify(String stream) {
        Held lease = held.get(stream);
        if (lease == null) {
            return;
        }
        try {
            LeaseStore.Versioned current = store.get(StreamSubjects.leaseKey(stream));
            // A key that still names this node moved on only by a write of its own (see renewAfterConflict).
            if (current == null || current.revision() != lease.revision() && !node.equals(holder(current))) {
                lose(stream, current == null ? "it is gone" : "node " + holder(current) + " took it");
            }
        } catch (IOException e) {
            log.debug("cannot check the recorder lease of {} now: {}", stream, e.getMessage());
        }
    }

    private synchronized void releaseIfUnwanted(String stream) {
        if (!publishedHere.test(stream)) {
            wanted.remove(stream);
            release(stream);
        }
    }

    /** Gives the lease back: deletes the key if its revision is still this node's. */
    private void release(String stream) {
        wanted.remove(stream);
        Held lease = held.remove(stream);
        if (lease == null) {
            return;
        }
        metrics.recorderLeases(held.size());
        try {
            store.delete(StreamSubjects.leaseKey(stream), lease.revision());
        } catch (LeaseStore.Conflict | IOException e) {
            log.debug("recorder lease of {} not deleted ({}): it expires by itself", stream, e.getMessage());
        }
    }

    /**
     * Takes the lease if it is free or this node's, or (as a publisher arrives) held elsewhere for
     * the same publisher instance. A publisher arriving reads the key again after a failed
     * compare-and-set: the old holder renews until the takeover reaches it, and a renewal that
     * lands between the read and the write must not keep the lease from following the publisher.
     */
    private void acquire(String stream, boolean publisherArriving) {
        for (int attempt = 1; ; attempt++) {
            try {
                tryAcquire(stream, publisherArriving);
                return;
            } catch (LeaseStore.Conflict raced) {
                if (!publisherArriving || attempt == ARRIVAL_ATTEMPTS) {
                    log.info("recorder lease of stream {} not taken: written meanwhile by another node ({} attempt(s));"
                            + " trying again every {} while its publisher stays here", stream, attempt, renewEvery());
                    return;
                }
                log.info("recorder lease of stream {} written meanwhile by another node as its publisher arrived here"
                        + " (the old holder's renewal?): reading it again", stream);
            } catch (IOException e) {
                log.warn("cannot take the recorder lease of stream {} now ({}); not recording it until then", stream,
                        e.getMessage());
                return;
            }
        }
    }

    private void tryAcquire(String stream, boolean publisherArriving) throws IOException, LeaseStore.Conflict {
        String key = StreamSubjects.leaseKey(stream);
        long started = nanoClock.getAsLong();
        LeaseStore.Versioned current = store.get(key);
        long revision;
        if (current == null) {
            revision = store.create(key, value(stream));
        } else if (node.equals(holder(current))
                || publisherArriving && sameInstance(current, wanted.get(stream).instanceId())) {
            revision = store.update(key, value(stream), current.revision());
            if (!node.equals(holder(current))) {
                log.info("recorder lease of stream {} taken from node {}: its publisher moved here", stream,
                        holder(current));
            }
        } else {
            return; // another node records it; its key expires if that node dies
        }
        held.put(stream, new Held(revision, revision, started));
        metrics.recorderLeases(held.size());
        log.info("recording stream {} here (recorder lease revision {})", stream, revision);
    }

    private void lose(String stream, String why) {
        held.remove(stream);
        metrics.recorderLeases(held.size());
        metrics.recorderLeaseLost();
        log.warn("recorder lease of stream {} lost: {}; its segment ends here", stream, why);
        lostListeners.forEach(listener -> listener.accept(stream));
    }

    private byte[] value(String stream) throws IOException {
        Map<String, Object> map = new HashMap<>();
        map.put("node", node);
        Want want = wanted.get(stream);
        map.put("instanceId", want == null ? "" : want.instanceId());
        map.put("writtenMillis", System.currentTimeMillis());
        return JSON.writeValueAsBytes(map);
    }

    private static String holder(LeaseStore.Versioned lease) {
        return field(lease, "node");
    }

    private static boolean sameInstance(LeaseStore.Versioned lease, String instanceId) {
        return instanceId != null && !instanceId.isEmpty() && instanceId.equals(field(lease, "instanceId"));
    }

    private static String field(LeaseStore.Versioned lease, String name) {
        try {
            JsonNode json = JSON.readTree(lease.value());
            return json.path(name).asText("");
        } catch (IOException e) {
            return ""; // not ours to read: treated as another node's
        }
    }
}
