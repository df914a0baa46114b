package dev.tunnelcast.server.relay;

import dev.tunnelcast.proto.v1.Envelope;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * All streams by name, created when the first client of a name arrives and retired when a
 * stream has neither publisher nor players nor a grace period running. Also keeps the
 * relay-wide counts behind the stream and player limits.
 */
public final class StreamRegistry {

    private final RelayContext context;
    private final ConcurrentHashMap<String, Stream> streams = new ConcurrentHashMap<>();
    private final AtomicInteger livePublishers = new AtomicInteger();
    private final AtomicInteger players = new AtomicInteger();
    private final Rooms rooms;
    private volatile PublisherClaims claims = PublisherClaims.LOCAL_ONLY;

    public StreamRegistry(RelayContext context) {
        this.context = context;
        this.rooms = new Rooms(context);
    }

    /**
     * Makes {@code connection} the publisher of its stream (and a member of the stream's room,
     * if it is in one); {@code welcome} is the first message it receives.
     */
    public Stream attachPublisher(Peer connection, PublisherHello hello, Envelope welcome) throws Refusal {
        if (connection.isLocal()) {
            claims.claim(connection.stream(), hello);
        }
        for (;;) {
            Stream stream = streams.computeIfAbsent(connection.stream(), this::newStream);
            if (stream.attachPublisher(connection, hello, welcome)) {
                return stream;
            }
            // The stream retired between lookup and attach: take the fresh one.
        }
    }

    /** Where local publishers claim their streams from now on (a cluster's directory). */
    public void useClaims(PublisherClaims claims) {
        this.claims = claims;
    }

    /** The stream of this name, if any client of it is here. */
    public Optional<Stream> find(String name) {
        return Optional.ofNullable(streams.get(name));
    }

    /**
     * Adds a player to its stream; {@code welcome} is the first message it receives, {@code layers}
     * what it asked of a simulcast stream.
     */
    public PlayerAttachment attachPlayer(Peer connection, Envelope welcome, LayerRequest layers) throws Refusal {
        for (;;) {
            Stream stream = streams.computeIfAbsent(connection.stream(), this::newStream);
            PlayerSession session = stream.newPlayer(connection, layers);
            if (stream.attachPlayer(session, welcome)) {
                return new PlayerAttachment(stream, session);
            }
        }
    }

    /** A player and the stream it joined, for detaching later. */
    public record PlayerAttachment(Stream stream, PlayerSession session) {
        public void detach() {
            stream.detachPlayer(session);
        }

        /** Sends the player a relay-made answer (a Pong) through its bounded queue, behind its media. */
        public void answer(Envelope reply) {
            stream.answerPlayer(session, reply);
        }
    }

    public void detachPublisher(Stream stream, Peer connection, PublisherExit exit) {
        stream.detachPublisher(connection, exit);
    }

    /**
     * A stream that a publisher has announced (live, or offline within its grace period).
     * A name that only players wait for is no stream yet: any name can be asked for.
     */
    public Optional<StreamInfo> info(String name) {
        Stream stream = streams.get(name);
        return Optional.ofNullable(stream).map(Stream::info).filter(StreamRegistry::announced);
    }

    /** Every stream that a publisher has announced, by name. */
    public List<StreamInfo> infos() {
        return streams.values().stream().map(Stream::info).filter(StreamRegistry::announced)
                .sorted(Comparator.comparing(StreamInfo::name)).toList();
    }

    private static boolean announced(StreamInfo info) {
        return info.state() != Stream.State.WAITING;
    }

    /** Periodic work for every stream; also samples the total queued bytes. */
    public void housekeeping() {
        long now = context.clock().monotonicNanos();
        long queued = 0;
        for (Stream stream : streams.values()) {
            queued += stream.housekeeping(now);
        }
        context.metrics().sampledTotalQueuedBytes(queued);
    }

    /** Closes every connection with 1001. */
    public void shutdown() {
        for (Stream stream : streams.values()) {
            stream.shutdown();
        }
    }

    boolean reservePublisherSlot() {
        return reserve(livePublishers, context.policy().maxStreams());
    }

    void releasePublisherSlot() {
        livePublishers.decrementAndGet();
    }

    boolean reservePlayerSlot() {
        return reserve(players, context.policy().maxPlayers());
    }

    void releasePlayerSlot() {
        players.decrementAndGet();
    }

    Rooms rooms() {
        return rooms;
    }

    void remove(Stream stream) {
        streams.remove(stream.name(), stream);
    }

    private static boolean reserve(AtomicInteger counter, int max) {
        for (;;) {
            int now = counter.get();
            if (now >= max) {
                return false;
            }
            if (counter.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    private Stream newStream(String name) {
        return new Stream(name, context, this);
    }
}
