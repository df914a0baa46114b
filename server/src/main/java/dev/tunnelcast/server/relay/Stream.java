package dev.tunnelcast.server.relay;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.KeyframeRequest;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.PublisherState;
import dev.tunnelcast.proto.v1.Status;
import dev.tunnelcast.proto.v1.StatusCode;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.TrackKind;
import dev.tunnelcast.wire.RoomName;
import io.micrometer.core.instrument.Counter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named stream: its publisher (at most one), its players, its tracks and its GOP cache.
 *
 * <p><b>Threading model.</b> Every state change happens under the stream's one lock:
 * the publisher's messages (on the publisher's I/O thread), players joining and leaving (on
 * their I/O threads), the grace timer and the periodic slow-player check (housekeeping
 * thread). Because a joining player's burst (Welcome, Status, configs, GOP) is queued
 * under the same lock that fans out live messages, a player sees neither a gap nor a
 * duplicate between the GOP and the live edge. Fan-out only appends a shared
 * {@link RelayedMessage} to each {@link PlayerSession}'s queue (its own short lock); the
 * socket writes run on each player's I/O thread, driven by its send-completion callback, so
 * a slow player never blocks the publisher. Locks are taken in the order stream, then room,
 * then player.
 *
 * <p>A stream named {@code room.participant} ({@link RoomName}) is a member of its room
 * ({@link Rooms}) while it has a publisher.
 */
public final class Stream {

    private static final Logger log = LoggerFactory.getLogger(Stream.class);
    /** At most this many tracks per stream; more is a protocol violation. */
    public static final int MAX_TRACKS = 16;
    /** Keyframe requests to a publisher are sent at most this often. */
    private static final long KEYFRAME_REQUEST_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final PlayerSession[] NO_PLAYERS = new PlayerSession[0];

    /** Where a stream is in its life. */
    public enum State {
        /** No publisher has arrived yet; players wait. */
        WAITING,
        /** A publisher is live. */
        LIVE,
        /** The publisher left; players wait for the grace period. */
        OFFLINE
    }

    private final String name;
    private final RelayContext context;
    private final StreamRegistry registry;
    private final StreamStats stats;
    private final Object lock = new Object();
    private final RelayedMessage droppedNotice;
    /** The room this stream is a member of while it has a publisher, or null. */
    private final RoomName room;

    // Guarded by lock.
    private State state = State.WAITING;
    private Peer publisher;
    private PublisherHello publisherHello;
    /** What the publisher last said the others should show; kept across a takeover. */
    private PublisherState publisherState = PublisherState.getDefaultInstance();
    private long publisherSinceNanos;
    private PlayerSession[] players = NO_PLAYERS;
    private final Map<Integer, TrackState> tracks = new TreeMap<>();
    private int primaryVideoTrack = -1;
    private final GopCache gop;
    private final SimulcastLayers simulcast = new SimulcastLayers();
    private final LayerBitrates layerBitrates = new LayerBitrates();
    private final StreamObservers observers;
    private ScheduledFuture<?> graceTimer;
    private final KeyframeRequests keyframeRequests;
    private boolean retired;

    Stream(String name, RelayContext context, StreamRegistry registry) {
        this.name = name;
        this.context = context;
        this.registry = registry;
        Counter[] switches = context.metrics().layerSwitches(name);
        this.stats = new StreamStats(context.metrics().drops(name),
                new LayerSwitches(switches[0], switches[1], switches[2], switches[3], switches[4]), context.clock().monotonicNanos());
        this.gop = new GopCache(context.policy().gopCacheBytes());
        this.droppedNotice = status(StatusCode.STATUS_CODE_DROPPED, "video dropped to catch up; resuming at the next keyframe");
        this.room = RoomName.parse(name).orElse(null);
        this.observers = new StreamObservers(name, context.observers(), context.clock());
        this.keyframeRequests = new KeyframeRequests(KEYFRAME_REQUEST_INTERVAL_NANOS, (task, delay) -> context.scheduler()
                .schedule(task, delay, TimeUnit.NANOSECONDS), lock, context.clock()::monotonicNanos, this::sendKeyframeRequest);
    }

    /** A queue for a new player of this stream, bounded as configured, and its choice of simulcast layer. */
    PlayerSession newPlayer(Peer peer, LayerRequest request) {
        var policy = context.policy();
        PlayerQueue queue = new PlayerQueue(policy.playerQueueBytes(), policy.playerQueueAge().toNanos(),
                policy.slowPlayerTimeout().toNanos(), droppedNotice);
        return new PlayerSession(peer, context.clock(), context.metrics(), stats, queue,
                new LayerRouter(request, policy.layers(), simulcast, layerBitrates, policy.playerKernelBufferBytes()));
    }

    public String name() {
        return name;
    }

    boolean isRetired() {
        synchronized (lock) {
            return retired;
        }
    }

    /**
     * Makes {@code connection} the publisher and sends it {@code welcome}. A stream that has a
     * publisher is taken over (the old one gets 4411) by the same publisher instance
     * ({@link PublisherHello#instanceId}) or, with takeover on, by anyone; otherwise refused with
     * 4409. Also refused when too many streams are live (4429) or its room is full (4430).
     */
    boolean attachPublisher(Peer connection, PublisherHello hello, Envelope welcome) throws Refusal {
        Peer previous;
        boolean sameInstance;
        synchronized (lock) {
            if (retired) {
                return false;
            }
            previous = publisher;
            sameInstance = previous != null && hello.isSameInstanceAs(publisherHello);
            if (previous != null && !sameInstance && !context.policy().allowTakeover()) {
                throw new Refusal(CloseCode.CLOSE_CODE_PUBLISHER_EXISTS, "stream " + name + " already has a publisher");
            }
            if (previous == null && !registry.reservePublisherSlot()) {
                throw new Refusal(CloseCode.CLOSE_CODE_TOO_MANY, "too many live streams (max " + context.policy().maxStreams() + ")");
            }
            if (previous == null) {
                publisherState = PublisherState.getDefaultInstance();
            }
            if (room == null) {
                connection.sendControl(welcome);
            } else {
                try {
                    registry.rooms().join(room, connection, hello, publisherState, () -> connection.sendControl(welcome));
                } catch (Refusal full) {
                    if (previous == null) {
                        registry.releasePublisherSlot();
                    }
                    throw full;
                }
            }
            if (previous != null) {
                stopPublication(previous); // the slot passes to the new publisher
            }
            publisher = connection;
            publisherHello = hello;
            publisherSinceNanos = context.clock().monotonicNanos();
            state = State.LIVE;
            if (graceTimer != null) {
                graceTimer.cancel(false);
                graceTimer = null;
            }
            RelayedMessage online = status(StatusCode.STATUS_CODE_STREAM_ONLINE, "publisher live");
            for (PlayerSession player : players) {
                player.awaitKeyframe();
            }
            fanOut(online);
            if (connection.isLocal()) {
                observers.publisherStarted(connection.sessionId());
            }
        }
        if (previous != null) {
            previous.refuse(CloseCode.CLOSE_CODE_TAKEN_OVER, sameInstance
                    ? "the same publisher instance reconnected to stream " + name
                    : "a new publisher took stream " + name + " over");
        }
        return true;
    }

    /** The publisher's {@code PublisherState}: kept, and pushed to its room ({@code RoomEvent{UPDATED}}). */
    public void updatePublisherState(Peer from, PublisherState state) {
        synchronized (lock) {
            if (publisher != from) {
                return; // taken over a moment ago
            }
            publisherState = state;
            if (room != null) {
                registry.rooms().update(room, from, state);
            }
        }
    }

    /**
     * One validated-by-parsing publisher message: checks it against the stream's state,
     * updates tracks and GOP, and fans the original bytes out.
     *
     * @param bytes the received message, read-only; shared as is with every player
     */
    public void publish(Peer from, Envelope envelope, ByteBuffer bytes, long receivedAtNanos) throws Refusal {
        synchronized (lock) {
            if (publisher != from) {
                return; // taken over a moment ago; its close is on the way
            }
            stats.bytesIn().add(bytes.remaining());
            switch (envelope.getKindCase()) {
                case TRACK_CONFIG -> acceptConfig(envelope.getTrackConfig(), bytes, receivedAtNanos);
                case MEDIA_PACKET -> acceptPacket(envelope.getMediaPacket(), bytes, receivedAtNanos);
                default -> throw new IllegalArgumentException("not a media message: " + envelope.getKindCase());
            }
        }
    }

    private void acceptConfig(TrackConfig config, ByteBuffer bytes, long receivedAtNanos) throws Refusal {
        TrackValidation.checkConfig(config);
        TrackState previous = tracks.get(config.getTrackId());
        if (previous == null && tracks.size() >= MAX_TRACKS) {
            throw new Refusal(CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION, "more than " + MAX_TRACKS + " tracks");
        }
        if (previous != null && previous.config.getKind() != config.getKind()) {
            throw new Refusal(CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION, "track " + config.getTrackId() + " changed its kind");
        }
        boolean primary = config.getKind() == TrackKind.TRACK_KIND_VIDEO
                && (primaryVideoTrack < 0 || primaryVideoTrack == config.getTrackId());
        int layer = SimulcastLayers.isLayered(config) ? config.getLayer() : RelayedMessage.NO_LAYER;
        RelayedMessage message = new RelayedMessage(bytes, RelayedMessage.Kind.CONFIG, false, receivedAtNanos, layer, 0);
        boolean layersComplete = simulcast.accept(config, message, primary);
        tracks.put(config.getTrackId(), new TrackState(config, message, previous));
        if (primary) {
            primaryVideoTrack = config.getTrackId();
            gop.clear(layer); // a new encoder configuration starts a new GOP
        }
        fanOut(message);
        if (layersComplete) {
            startLayers();
        }
        if (publisher.isLocal()) {
            observers.trackConfig(config, bytes);
        }
    }

    private void acceptPacket(MediaPacket packet, ByteBuffer bytes, long receivedAtNanos) throws Refusal {
        TrackState track = tracks.get(packet.getTrackId());
        if (track == null) {
            throw new Refusal(CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION,
                    "MediaPacket for track " + packet.getTrackId() + " which has no TrackConfig");
        }
        simulcast.checkPacket(packet, track.config);
        long sequence = packet.getSequence();
        if (track.sequenced && Long.compareUnsigned(sequence, track.lastSequence) <= 0) {
            throw new Refusal(CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION, "track " + packet.getTrackId() + " sequence went from "
                    + Long.toUnsignedString(track.lastSequence) + " to " + Long.toUnsignedString(sequence));
        }
        track.lastSequence = sequence;
        track.sequenced = true;
        boolean video = track.config.getKind() == TrackKind.TRACK_KIND_VIDEO;
        RelayedMessage message = new RelayedMessage(bytes,
                video ? RelayedMessage.Kind.VIDEO : RelayedMessage.Kind.AUDIO, video && packet.getKeyframe(), receivedAtNanos,
                SimulcastLayers.isLayered(track.config) ? packet.getLayer() : RelayedMessage.NO_LAYER, packet.getPtsMicros());
        gop.append(message, video && packet.getTrackId() == primaryVideoTrack);
        layerBitrates.add(message.layer(), message.sizeBytes(), receivedAtNanos);
        fanOut(message);
        if (publisher.isLocal()) {
            observers.mediaPacket(packet, bytes, receivedAtNanos);
        }
    }

    /** Offers a message to every player; slow ones are closed, video drops trigger a keyframe request. */
    private void fanOut(RelayedMessage message) {
        long now = context.clock().monotonicNanos();
        List<PlayerSession> slow = null;
        boolean wantKeyframe = false;
        PumpKicks kicks = new PumpKicks(context.policy().playerWriteMerge().toMillis());
        try {
            for (PlayerSession player : players) {
                switch (player.offer(message, now, kicks)) {
                    case QUEUED, CLOSED -> { }
                    case DROPPED_VIDEO, SWITCHING_DOWN -> wantKeyframe = true;
                    case SLOW -> {
                        if (slow == null) {
                            slow = new ArrayList<>();
                        }
                        slow.add(player);
                    }
                    default -> throw new IllegalStateException("unhandled offer outcome");
                }
            }
        } finally {
            kicks.start(); // a pump marked as scheduled must start, or its player would wait for good
        }
        if (wantKeyframe) {
            keyframeRequests.request("a player dropped video to catch up or switches to a lower layer", now);
        }
        if (slow != null) {
            for (PlayerSession player : slow) {
                removePlayerLocked(player);
                player.connection().refuse(CloseCode.CLOSE_CODE_SLOW_CONSUMER, "player stayed behind its queue bound for too long");
            }
        }
    }

    /** The publisher announced every layer of its simulcast track: each player picks its own. */
    private void startLayers() {
        long now = context.clock().monotonicNanos();
        for (PlayerSession player : players) {
            try {
                player.startLayer(now, false, layer -> false);
            } catch (Refusal unknownLayer) {
                removePlayerLocked(player);
                player.connection().refuse(unknownLayer.code(), unknownLayer.detail());
            }
        }
    }

    /**
     * Queues a relay-made answer (a Pong) for one player, through its bounded queue: a player
     * that keeps asking and stops reading is closed as slow (4408) rather than buffered without end.
     */
    void answerPlayer(PlayerSession player, Envelope answer) {
        long now = context.clock().monotonicNanos();
        context.metrics().pongQueued();
        if (player.offerControl(RelayedMessage.control(answer, now), now) != PlayerQueue.Offer.SLOW) {
            return;
        }
        synchronized (lock) {
            removePlayerLocked(player);
            retireIfIdleLocked();
        }
        player.connection().refuse(CloseCode.CLOSE_CODE_SLOW_CONSUMER, "player stayed behind its queue bound for too long");
    }

    /** Adds a player: queues Welcome, Status, the configs and the GOP, then live messages follow. */
    boolean attachPlayer(PlayerSession player, Envelope welcome) throws Refusal {
        synchronized (lock) {
            if (retired) {
                return false;
            }
            if (players.length >= context.policy().maxPlayersPerStream()) {
                throw new Refusal(CloseCode.CLOSE_CODE_TOO_MANY,
                        "stream " + name + " has the most players allowed (" + context.policy().maxPlayersPerStream() + ")");
            }
            long now = context.clock().monotonicNanos();
            int layer = simulcast.isComplete() ? player.startLayer(now, true, gop::hasKeyframe) : RelayedMessage.NO_LAYER;
            if (!registry.reservePlayerSlot()) {
                throw new Refusal(CloseCode.CLOSE_CODE_TOO_MANY, "the relay has the most players allowed (" + context.policy().maxPlayers() + ")");
            }
            List<RelayedMessage> burst = new ArrayList<>(gop.size(layer) + tracks.size() + 2);
            burst.add(RelayedMessage.control(welcome, now));
            burst.add(switch (state) {
                case LIVE -> status(StatusCode.STATUS_CODE_STREAM_ONLINE, "publisher live");
                case WAITING -> status(StatusCode.STATUS_CODE_STREAM_WAITING,
                        "no stream " + name + " is live yet: waiting for a publisher");
                case OFFLINE -> status(StatusCode.STATUS_CODE_STREAM_OFFLINE, "publisher left; waiting for it to return");
            });
            burst.addAll(simulcast.announcements(tracks.values(), layer));
            boolean haveGop = gop.hasKeyframe(layer);
            if (haveGop) {
                burst.addAll(gop.snapshot(layer));
            }
            boolean awaitKeyframe = !haveGop;
            player.join(burst, awaitKeyframe, now);
            players = Arrays.copyOf(players, players.length + 1);
            players[players.length - 1] = player;
            if (players.length == 1) {
                observers.firstPlayerJoined();
            }
            if (state == State.LIVE && !haveGop && primaryVideoTrack >= 0) {
                keyframeRequests.request("a new player is waiting for a keyframe", now);
            }
            return true;
        }
    }

    /** The player's connection closed. */
    void detachPlayer(PlayerSession player) {
        synchronized (lock) {
            removePlayerLocked(player);
            retireIfIdleLocked();
        }
    }

    /** The publisher left: cleanly (EndOfStream) or not. Players get OFFLINE and the grace period starts. */
    void detachPublisher(Peer connection, PublisherExit exit) {
        synchronized (lock) {
            if (publisher != connection) {
                return;
            }
            stopPublication(connection);
            registry.releasePublisherSlot();
            publisher = null;
            publisherHello = null;
            state = State.OFFLINE;
            if (room != null) {
                registry.rooms().leave(room, connection, exit.roomReason());
            }
            fanOut(status(StatusCode.STATUS_CODE_STREAM_OFFLINE, "publisher left: " + exit.detail()));
            long graceMillis = context.policy().gracePeriod().toMillis();
            graceTimer = context.scheduler().schedule(this::graceExpired, graceMillis, TimeUnit.MILLISECONDS);
            retireIfIdleLocked();
        }
    }

    private void stopPublication(Peer leaving) {
        tracks.clear();
        primaryVideoTrack = -1;
        gop.clear();
        simulcast.reset();
        log.info("stream {} publisher {} stopped", name, leaving.sessionId());
        if (leaving.isLocal()) {
            observers.publisherStopped(leaving.sessionId());
        }
    }

    private void graceExpired() {
        PlayerSession[] ending;
        synchronized (lock) {
            if (state != State.OFFLINE || graceTimer == null) {
                return;
            }
            graceTimer = null;
            ending = players;
            for (PlayerSession player : ending) {
                removePlayerLocked(player);
            }
            state = State.WAITING;
            retireIfIdleLocked();
        }
        for (PlayerSession player : ending) {
            player.connection().endStream("the publisher did not return within the grace period");
        }
    }

    /** Periodic: bitrates, queue depth samples, players behind while the publisher is quiet. */
    long housekeeping(long nowNanos) {
        stats.sample(nowNanos);
        long queued = 0;
        List<PlayerSession> slow = null;
        synchronized (lock) {
            for (PlayerSession player : players) {
                long depth = player.queuedBytes();
                queued += depth;
                context.metrics().sampledQueueDepth(depth);
                if (player.checkSlow(nowNanos)) {
                    if (slow == null) {
                        slow = new ArrayList<>();
                    }
                    slow.add(player);
                }
            }
            if (slow != null) {
                for (PlayerSession player : slow) {
                    removePlayerLocked(player);
                }
                retireIfIdleLocked();
            }
        }
        if (slow != null) {
            for (PlayerSession player : slow) {
                player.connection().refuse(CloseCode.CLOSE_CODE_SLOW_CONSUMER, "player stayed behind its queue bound for too long");
            }
        }
        return queued;
    }

    /** Ends the publication (observers see it stop before this returns) and closes everyone with 1001. */
    void shutdown() {
        Peer pub;
        PlayerSession[] all;
        synchronized (lock) {
            pub = publisher;
            all = players;
            if (graceTimer != null) {
                graceTimer.cancel(false);
                graceTimer = null;
            }
            if (pub != null) {
                stopPublication(pub);
                registry.releasePublisherSlot();
                publisher = null;
                publisherHello = null;
                state = State.OFFLINE;
                if (room != null) {
                    registry.rooms().leave(room, pub, PublisherExit.CONNECTION_LOST);
                }
            }
        }
        if (pub != null) {
            pub.close(CloseCode.CLOSE_CODE_GOING_AWAY, "relay shutting down");
        }
        for (PlayerSession player : all) {
            player.connection().close(CloseCode.CLOSE_CODE_GOING_AWAY, "relay shutting down");
        }
    }

    public StreamInfo info() {
        synchronized (lock) {
            List<TrackConfig> configs = simulcast.trackConfigs(tracks.values());
            long nowNanos = context.clock().monotonicNanos();
            long uptimeSeconds = publisher == null ? 0 : TimeUnit.NANOSECONDS.toSeconds(nowNanos - publisherSinceNanos);
            return new StreamInfo(name, state, configs, publisher == null ? null : publisher.remoteAddress(),
                    uptimeSeconds, players.length, stats.bitrateInBitsPerSecond(nowNanos),
                    stats.bitrateOutBitsPerSecond(nowNanos),
                    stats.drops());
        }
    }

    /**
     * The stream's publisher went on through another cluster node (the same instance, or a
     * takeover): a publisher connected here is closed with 4411 and leaves as usual.
     */
    public void yieldLocalPublisher(String detail) {
        Peer local;
        synchronized (lock) {
            local = publisher != null && publisher.isLocal() ? publisher : null;
        }
        if (local != null) {
            local.refuse(CloseCode.CLOSE_CODE_TAKEN_OVER, detail);
        }
    }

    /** Asks the publisher for a keyframe (for a player on another cluster node), at most every 500 ms ({@link KeyframeRequests}). */
    public void requestKeyframe(String reason) {
        synchronized (lock) {
            keyframeRequests.request(reason, context.clock().monotonicNanos());
        }
    }

    /**
     * The current TrackConfigs as their publisher sent them, and the publisher's hello: what
     * another cluster node needs to join this stream mid-way. Empty without a local publisher.
     */
    public Optional<PublicationSnapshot> localPublication() {
        synchronized (lock) {
            if (publisher == null || !publisher.isLocal()) {
                return java.util.Optional.empty();
            }
            // Every layer: another node's players choose their own.
            return java.util.Optional.of(new PublicationSnapshot(publisherHello, simulcast.announcements(tracks.values(),
                    SimulcastLayers.ALL_LAYERS).stream().map(RelayedMessage::bytes).toList()));
        }
    }

    /** Under the lock; the publisher may have left since the request was deferred. */
    private void sendKeyframeRequest(String reason) {
        if (publisher != null && primaryVideoTrack >= 0) {
            publisher.sendControl(Envelope.newBuilder().setKeyframeRequest(KeyframeRequest.newBuilder()
                    .setTrackId(primaryVideoTrack).setReason(reason)).build());
        }
    }

    private void removePlayerLocked(PlayerSession player) {
        for (int i = 0; i < players.length; i++) {
            if (players[i] == player) {
                PlayerSession[] next = new PlayerSession[players.length - 1];
                System.arraycopy(players, 0, next, 0, i);
                System.arraycopy(players, i + 1, next, i, players.length - i - 1);
                players = next;
                player.closeQueue();
                registry.releasePlayerSlot();
                if (next.length == 0) {
                    observers.lastPlayerLeft();
                }
                return;
            }
        }
    }

    private void retireIfIdleLocked() {
        if (publisher == null && players.length == 0 && graceTimer == null && !retired) {
            retired = true;
            // Before leaving the registry, so that a new stream of this name gets a fresh meter.
            context.metrics().forgetStream(name);
            registry.remove(this);
        }
    }

    private RelayedMessage status(StatusCode code, String message) {
        return RelayedMessage.control(Envelope.newBuilder()
                .setStatus(Status.newBuilder().setCode(code).setMessage(message)).build(),
                context.clock().monotonicNanos());
    }
}
