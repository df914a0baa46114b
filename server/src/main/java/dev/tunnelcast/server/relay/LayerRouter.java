package dev.tunnelcast.server.relay;

import dev.tunnelcast.proto.v1.CloseCode;
import java.util.function.IntPredicate;

/**
 * Which messages of a simulcast track one player gets: the layer it is on, switched only where
 * a keyframe starts a new group of pictures, so that it never gets a frame it cannot decode. No
 * I/O and no clock of its own; its {@link LayerPolicy} says which layer it should be on, and the
 * caller ({@link PlayerSession}) serializes the calls and queues what it is told to.
 *
 * <p>Layers have their keyframes at the same pts. The first keyframe (of any layer) with a new
 * pts is a switch point: a switch the policy wants is made there, so the player gets the new
 * layer's keyframe of that pts and nothing more of the old layer, in whatever order the
 * layers' packets arrive. After a switch (and at the start) the layer's TrackConfig goes out
 * just before its first keyframe, and its other packets wait for that keyframe; a layer whose
 * keyframe went missing is skipped to its next one.
 */
final class LayerRouter {

    /** What to do with one message of the simulcast track. */
    enum Step {
        SKIP,
        FORWARD,
        /** Queue the current layer's TrackConfig ({@link #announcement()}), then the message. */
        ANNOUNCE_AND_FORWARD
    }

    private final LayerRequest request;
    private final LayerSettings settings;
    private final SimulcastLayers layers;
    private final LayerBitrates bitrates;
    /** What the player's socket's kernel send buffer can hold (0: not known). */
    private final long kernelBufferBytes;

    private LayerPolicy policy;
    /** The layer the player gets, -1 until the stream's layers are known. */
    private int current = -1;
    private int target = -1;
    private long switchPts;
    private boolean switchPtsSeen;
    private boolean awaitingKeyframe;
    private boolean announce;

    /**
     * @param layers            the stream's layer table, read under the stream's lock as every call here is
     * @param bitrates          the stream's layers' bitrates, read likewise
     * @param kernelBufferBytes what the player's socket's kernel send buffer can hold (0: not known), see {@link LayerPolicy}
     */
    LayerRouter(LayerRequest request, LayerSettings settings, SimulcastLayers layers, LayerBitrates bitrates, long kernelBufferBytes) {
        this.request = request;
        this.settings = settings;
        this.layers = layers;
        this.bitrates = bitrates;
        this.kernelBufferBytes = kernelBufferBytes;
    }

    /**
     * The stream's layers are known (at join, or when a publisher announced them): picks the
     * layer the request asks for.
     *
     * @param announced    its TrackConfig was queued already (the join burst)
     * @param haveKeyframe whether a GOP of a layer that starts at a keyframe was queued already (the join burst)
     * @return the start layer
     * @throws Refusal (4422) when the request names a layer the stream does not have
     */
    int start(long nowNanos, boolean announced, IntPredicate haveKeyframe) throws Refusal {
        int layer = request.quality() != null ? layers.layerOf(request.quality())
                : request.viewportHeight() > 0 ? layers.lowestFilling(request.viewportHeight()) : 0;
        if (layer < 0) {
            throw new Refusal(CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION, "no layer " + request.quality()
                    + " in this stream: it has " + layers.names() + " (or quality=auto)");
        }
        policy = new LayerPolicy(settings, layers.count(), layer, request.pinned(), nowNanos, bitrates, kernelBufferBytes);
        current = layer;
        target = layer;
        switchPtsSeen = false;
        announce = !announced;
        awaitingKeyframe = !haveKeyframe.test(layer);
        return layer;
    }

    /** The publisher stopped: its layers are forgotten until the next one's are known. */
    void stop() {
        current = -1;
        target = -1;
    }

    /**
     * Routes one config or packet of the simulcast track ({@link RelayedMessage#layer()} set), given the player's queue.
     */
    Step route(RelayedMessage message, long nowNanos, QueueState queue) {
        if (current < 0) {
            return Step.SKIP; // the layers are not all announced yet; start() comes when they are
        }
        if (message.kind() == RelayedMessage.Kind.CONFIG) {
            // A re-announcement of the player's layer; the others go out at a switch to them.
            return message.layer() == current && !announce ? Step.FORWARD : Step.SKIP;
        }
        target = policy.decide(nowNanos, queue.oldestQueuedAtNanos(), queue.leftBytes(), queue.takenBytes());
        if (message.keyframe() && (!switchPtsSeen || message.ptsMicros() != switchPts)) {
            switchPtsSeen = true;
            switchPts = message.ptsMicros();
            if (target != current) {
                policy.switched(target, nowNanos, queue.leftBytes(), queue.queuedBytes());
                current = target;
                awaitingKeyframe = true;
                announce = true;
            }
        }
        if (message.layer() != current || (awaitingKeyframe && !message.keyframe())) {
            return Step.SKIP;
        }
        awaitingKeyframe = false;
        if (announce) {
            announce = false;
            return Step.ANNOUNCE_AND_FORWARD;
        }
        return Step.FORWARD;
    }

    /** The TrackConfig to queue for {@link Step#ANNOUNCE_AND_FORWARD}. */
    RelayedMessage announcement() {
        return layers.configMessage(current);
    }

    /** The layer the player is on, -1 before {@link #start}. */
    int layer() {
        return current;
    }

    /** What the player's socket's kernel send buffer should hold ({@link LayerPolicy#kernelBufferBytes}); 0: not managed. */
    long kernelBufferBytes() {
        return policy == null ? 0 : policy.kernelBufferBytes();
    }

    /** How many padding chunks of {@code chunkBytes} to queue now ({@link LayerPolicy#paddingChunks}). */
    int paddingChunks(long nowNanos, int chunkBytes) {
        return policy == null ? 0 : policy.paddingChunks(nowNanos, chunkBytes);
    }

    /** Whether to send the player a Ping now ({@link LayerPolicy#pingDue}); never before {@link #start}. */
    boolean pingDue(long nowNanos) {
        return policy != null && current >= 0 && policy.pingDue(nowNanos);
    }

    /** Whether the relay times this player's path ({@link LayerPolicy#timesPath}); never before {@link #start}. */
    boolean timesPath() {
        return policy != null && current >= 0 && policy.timesPath();
    }

    /** A keyframe train measured the player's link ({@link LayerPolicy#trainRate}). */
    void trainRate(long nowNanos, long bitsPerSecond) {
        if (policy != null) {
            policy.trainRate(nowNanos, bitsPerSecond);
        }
    }

    /** A Pong answered the relay's Ping after {@code rttNanos} ({@link LayerPolicy#roundTrip}). */
    void roundTrip(long nowNanos, long rttNanos) {
        if (policy != null) {
            policy.roundTrip(nowNanos, rttNanos);
        }
    }

    /** Whether a padding probe runs ({@link LayerPolicy#probing}). */
    boolean probing() {
        return policy != null && policy.probing();
    }

    /** How the last padding probe ended since the last call ({@link LayerPolicy#takeProbeOutcome}). */
    LayerPolicy.ProbeOutcome takeProbeOutcome() {
        return policy == null ? LayerPolicy.ProbeOutcome.NONE : policy.takeProbeOutcome();
    }

    /** A switch down waits for a keyframe: worth asking the publisher for one. */
    boolean switchingDown() {
        return current >= 0 && target > current;
    }

    /** What the layer choice is based on now, for a log line ({@link LayerPolicy#explain}); empty before {@link #start}. */
    String explain(long nowNanos) {
        return policy == null ? "" : policy.explain(nowNanos);
    }
}
