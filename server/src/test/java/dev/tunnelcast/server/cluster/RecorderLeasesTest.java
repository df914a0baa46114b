package dev.tunnelcast.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.server.relay.PublisherHello;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The recorder lease's state machine against an in-memory compare-and-set store and a fake
 * clock: who takes the lease, who keeps it, when it is lost. The same code against the real
 * NATS bucket and relay nodes: {@code RecorderLeaseClusterTest}.
 */
class RecorderLeasesTest {

    private static final Duration TTL = Duration.ofSeconds(9);
    private static final String STREAM = "cam.1";
    private static final PublisherHello AGENT = new PublisherHello("", false, "agent-instance-1");
    private static final PublisherHello OTHER_AGENT = new PublisherHello("", false, "agent-instance-2");

    private final FakeStore store = new FakeStore();
    private final long[] nanos = {0};
    private final Set<String> publishedOnA = new HashSet<>(Set.of(STREAM));
    private final Set<String> publishedOnB = new HashSet<>(Set.of(STREAM));
    private final List<String> lostOnA = new ArrayList<>();
    private final SimpleMeterRegistry metersA = new SimpleMeterRegistry();
    private final RecorderLeases nodeA = leases("a", metersA, publishedOnA);
    private final RecorderLeases nodeB = leases("b", new SimpleMeterRegistry(), publishedOnB);

    RecorderLeasesTest() {
        nodeA.onLost(lostOnA::add);
    }

    private RecorderLeases leases(String node, SimpleMeterRegistry meters, Set<String> published) {
        return new RecorderLeases(store, node, TTL, new ClusterMetrics(meters), () -> nanos[0], s -> !s.startsWith("no-rec"),
                published::contains, Runnable::run);
    }

    @Test
    void theFirstPublishersNodeTakesTheLeaseAndAnotherPublisherOfTheStreamDoesNot() {
        nodeA.take(STREAM, AGENT);
        nodeB.take(STREAM, OTHER_AGENT); // e.g. both accepted during a NATS outage
        assertThat(nodeA.fencingToken(STREAM)).isPresent();
        assertThat(nodeB.fencingToken(STREAM)).isEmpty();
        nodeB.renew();
        assertThat(nodeB.fencingToken(STREAM)).as("B keeps trying, A still holds it").isEmpty();
        assertThat(metersA.get("tunnelcast.cluster.recorder.leases").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void streamsTheArchiveDoesNotRecordWantNoLease() {
        nodeA.take("no-rec-cam", AGENT);
        assertThat(nodeA.fencingToken("no-rec-cam")).isEmpty();
        assertThat(store.values).isEmpty();
    }

    @Test
    void renewalKeepsTheLeaseAndItsFencingToken() {
        nodeA.take(STREAM, AGENT);
        long token = nodeA.fencingToken(STREAM).getAsLong();
        for (int i = 0; i < 10; i++) {
            nanos[0] += nodeA.renewEvery().toNanos();
            nodeA.renew();
        }
        assertThat(nodeA.fencingToken(STREAM)).hasValue(token);
        assertThat(store.revisions.get(StreamSubjects.leaseKey(STREAM))).isGreaterThan(token);
        assertThat(lostOnA).isEmpty();
    }

    @Test
    void theSamePublisherInstanceArrivingOnAnotherNodeTakesTheLeaseAndTheOldHolderLosesIt() {
        nodeA.take(STREAM, AGENT);
        nodeB.take(STREAM, AGENT); // the publisher moved to B
        assertThat(nodeB.fencingToken(STREAM)).isPresent();
        assertThat(nodeB.fencingToken(STREAM).getAsLong()).isGreaterThan(nodeA.fencingToken(STREAM).getAsLong());
        nodeA.verify(STREAM); // B's online event reached A
        assertThat(lostOnA).containsExactly(STREAM);
        assertThat(nodeA.fencingToken(STREAM)).isEmpty();
        assertThat(metersA.get("tunnelcast.cluster.recorder.lease.lost").counter().count()).isEqualTo(1.0);
        nodeA.renew(); // A's old connection lingers: A must not take the lease back
        assertThat(nodeA.fencingToken(STREAM)).isEmpty();
        assertThat(nodeB.fencingToken(STREAM)).isPresent();
    }

    @Test
    void aPublisherMovingWhileTheOldHolderRenewsStillTakesTheLease() {
        nodeA.take(STREAM, AGENT);
        // A's renewal lands between B's read of the key and B's compare-and-set (RecorderLeaseClusterTest at load 16-28:
        // B recorded only after A's publisher had left, and A's segment ended as "publisher-stopped").
        store.beforeNextUpdate = () -> {
            nanos[0] += nodeA.renewEvery().toNanos();
            nodeA.renew();
        };
        nodeB.take(STREAM, AGENT); // the publisher moved to B
        assertThat(nodeB.fencingToken(STREAM)).as("B read the key again and took it").isPresent();
        nodeA.verify(STREAM); // B's online event reached A
        assertThat(lostOnA).containsExactly(STREAM);
    }

    @Test
    void aFailedRenewalLosesTheLease() {
        nodeA.take(STREAM, AGENT);
        nodeB.take(STREAM, AGENT);
        nanos[0] += nodeA.renewEvery().toNanos();
        nodeA.renew(); // the takeover's online event never reached A: its compare-and-set fails
        assertThat(lostOnA).containsExactly(STREAM);
    }

    @Test
    void aRenewalWrittenWhoseReplyWasLostIsNotALostLease() {
        nodeA.take(STREAM, AGENT);
        long token = nodeA.fencingToken(STREAM).getAsLong();
        store.loseNextReply = true; // written, but the node hears a timeout (RecorderLeaseClusterTest at load 30)
        nanos[0] += nodeA.renewEvery().toNanos();
        nodeA.renew();
        nodeA.verify(STREAM); // e.g. an online event of another stream's publisher
        nanos[0] += nodeA.renewEvery().toNanos();
        nodeA.renew(); // its revision is behind the key's: the key still names A
        assertThat(lostOnA).isEmpty();
        assertThat(nodeA.fencingToken(STREAM)).hasValue(token);
        nodeB.take(STREAM, AGENT); // a real takeover is still lost at the next renewal
        nanos[0] += nodeA.renewEvery().toNanos();
        nodeA.renew();
        assertThat(lostOnA).containsExactly(STREAM);
    }

    @Test
    void withoutTheStoreTheHolderStopsBeforeTheLeaseCanHaveExpiredThere() {
        nodeA.take(STREAM, AGENT);
        store.reachable = false;
        nanos[0] += Duration.ofSeconds(3).toNanos();
        nodeA.renew();
        nanos[0] += Duration.ofSeconds(3).toNanos();
        nodeA.renew();
        assertThat(lostOnA).as("6 s of a 9 s lease: still held").isEmpty();
        nanos[0] += Duration.ofSeconds(2).toNanos();
        nodeA.renew();
        assertThat(lostOnA).as("8 s: within a second of the lease's end").containsExactly(STREAM);
        assertThat(nodeA.fencingToken(STREAM)).isEmpty();
        store.reachable = true;
        nanos[0] += nodeA.renewEvery().toNanos();
        nodeA.renew(); // the key is still this node's: taken again, with a new token
        assertThat(nodeA.fencingToken(STREAM)).isPresent();
    }

    @Test
    void aHolderWhoseRenewalsStopStopsRecordingByItsOwnClockAndALateRenewalResumes() {
        nodeA.take(STREAM, AGENT);
        long token = nodeA.fencingToken(STREAM).getAsLong();
        nanos[0] += Duration.ofSeconds(7).toNanos(); // the cluster thread starved: no renewal tick ran
        assertThat(nodeA.fencingToken(STREAM)).as("7 s of a 9 s lease").hasValue(token);
        nanos[0] += Duration.ofSeconds(1).toNanos();
        assertThat(nodeA.fencingToken(STREAM)).as("8 s: within a second of the lease's end in the store").isEmpty();
        nodeA.renew(); // late, but nobody took the key meanwhile
        assertThat(nodeA.fencingToken(STREAM)).as("renewed late: the same lease").hasValue(token);
        assertThat(lostOnA).isEmpty();
    }

    @Test
    void aDeadHoldersLeaseIsTakenOnceItExpired() {
        nodeA.take(STREAM, AGENT);
        nodeB.take(STREAM, OTHER_AGENT);
        store.expire(StreamSubjects.leaseKey(STREAM)); // A died: nobody renewed it for the TTL
        nodeB.renew();
        assertThat(nodeB.fencingToken(STREAM)).isPresent();
    }

    @Test
    void theHolderGivesTheLeaseBackWhenItsPublisherLeaves() {
        nodeA.take(STREAM, AGENT);
        publishedOnA.remove(STREAM);
        nodeA.publisherStopped(STREAM, "s1");
        assertThat(nodeA.fencingToken(STREAM)).isEmpty();
        assertThat(store.values).isEmpty();
        assertThat(lostOnA).as("given back, not lost").isEmpty();
        nodeB.take(STREAM, OTHER_AGENT);
        assertThat(nodeB.fencingToken(STREAM)).isPresent();
    }

    @Test
    void aLeaveFollowedAtOnceByANewLocalPublisherKeepsTheLease() {
        nodeA.take(STREAM, AGENT);
        long token = nodeA.fencingToken(STREAM).getAsLong();
        nodeA.take(STREAM, AGENT); // the publisher reconnected to the same node; then its old connection ends
        nodeA.publisherStopped(STREAM, "old-session");
        assertThat(nodeA.fencingToken(STREAM)).hasValue(token);
    }

    /** Compare-and-set on revisions, as a JetStream key-value bucket does. */
    private static final class FakeStore implements LeaseStore {
        final Map<String, byte[]> values = new HashMap<>();
        final Map<String, Long> revisions = new HashMap<>();
        long sequence;
        boolean reachable = true;
        /** The next update is written, then fails as a request whose reply never came. */
        boolean loseNextReply;
        /** Runs once, as the next update begins: another node's write between a read and a compare-and-set. */
        Runnable beforeNextUpdate;

        @Override
        public Versioned get(String key) throws IOException {
            check();
            return values.containsKey(key) ? new Versioned(values.get(key), revisions.get(key)) : null;
        }

        @Override
        public long create(String key, byte[] value) throws IOException, Conflict {
            check();
            if (values.containsKey(key)) {
                throw new Conflict("wrong last sequence");
            }
            return write(key, value);
        }

        @Override
        public long update(String key, byte[] value, long revision) throws IOException, Conflict {
            check();
            Runnable interleaved = beforeNextUpdate;
            beforeNextUpdate = null;
            if (interleaved != null) {
                interleaved.run();
            }
            if (!values.containsKey(key) || revisions.get(key) != revision) {
                throw new Conflict("wrong last sequence");
            }
            long written = write(key, value);
            if (loseNextReply) {
                loseNextReply = false;
                throw new IOException("Timeout or no response waiting for NATS JetStream server");
            }
            return written;
        }

        @Override
        public void delete(String key, long revision) throws IOException, Conflict {
            check();
            if (!values.containsKey(key) || revisions.get(key) != revision) {
                throw new Conflict("wrong last sequence");
            }
            expire(key);
        }

        void expire(String key) {
            values.remove(key);
            revisions.remove(key);
        }

        private long write(String key, byte[] value) {
            values.put(key, value);
            revisions.put(key, ++sequence);
            return sequence;
        }

        private void check() throws IOException {
            if (!reachable) {
                throw new IOException("not connected to NATS");
            }
        }
    }

}
