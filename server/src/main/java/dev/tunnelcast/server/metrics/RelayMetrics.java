package dev.tunnelcast.server.metrics;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.RoomChange;
import dev.tunnelcast.wire.CloseCodes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay's meters, exported at {@code /metrics} in Prometheus format. Hot-path meters are
 * resolved once (per role, per stream, per close code) so that recording is a plain add.
 */
public final class RelayMetrics implements AutoCloseable {

    /** Which kind of client a connection meter is about. */
    public enum Role { PUBLISHER, PLAYER }

    /**
     * What a relayed message carried, the relay latency's {@code kind} tag: a keyframe is many
     * times the bytes of the rest, so its copies to every player take longest, and a call's
     * audio is what its participants hear late first.
     */
    public enum Carried { AUDIO, VIDEO, KEYFRAME, OTHER }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final Map<Role, AtomicInteger> open = new EnumMap<>(Role.class);
    private final Map<Role, Counter> opened = new EnumMap<>(Role.class);
    private final Map<CloseCode, Counter> refusals = new EnumMap<>(CloseCode.class);
    private final Map<String, Counter> dropsByStream = new ConcurrentHashMap<>();
    /** Per stream: players moved down, then up, between simulcast layers. */
    private final Map<String, Counter[]> layerSwitchesByStream = new ConcurrentHashMap<>();
    private final Counter messagesIn;
    private final Counter bytesIn;
    private final Counter messagesOut;
    private final Counter bytesOut;
    private final Counter batchesOut;
    private final Counter pingsSent;
    private final Counter pongsQueued;
    private final Counter pingAnswers;
    private final Map<Carried, Timer> relayLatency = new EnumMap<>(Carried.class);
    private final DistributionSummary queueDepth;
    private final AtomicLong queuedBytesTotal = new AtomicLong();
    private final AtomicInteger rooms = new AtomicInteger();
    private final AtomicInteger roomMembers = new AtomicInteger();
    private final Map<RoomChange, Counter> roomEvents = new EnumMap<>(RoomChange.class);
    private final Counter roomUpdatesCoalesced;

    public RelayMetrics() {
        for (Role role : Role.values()) {
            String tag = role.name().toLowerCase();
            AtomicInteger gauge = new AtomicInteger();
            open.put(role, gauge);
            Gauge.builder("tunnelcast.connections.open", gauge, AtomicInteger::get)
                    .description("WebSocket connections open now").tag("role", tag).register(registry);
            opened.put(role, Counter.builder("tunnelcast.connections")
                    .description("WebSocket connections accepted since start").tag("role", tag).register(registry));
        }
        for (CloseCode code : CloseCodes.all()) {
            refusals.put(code, Counter.builder("tunnelcast.refusals")
                    .description("connections the relay closed for a reason of its own, by close code")
                    .tag("code", Integer.toString(code.getNumber())).tag("name", CloseCodes.shortName(code).toLowerCase())
                    .register(registry));
        }
        messagesIn = Counter.builder("tunnelcast.messages.in").description("messages received from publishers").register(registry);
        bytesIn = Counter.builder("tunnelcast.bytes.in").description("bytes received from publishers").register(registry);
        messagesOut = Counter.builder("tunnelcast.messages.out").description("messages written to players").register(registry);
        bytesOut = Counter.builder("tunnelcast.bytes.out").description("bytes written to players").register(registry);
        batchesOut = Counter.builder("tunnelcast.batches.out")
                .description("gathering writes to players: messages.out / batches.out messages share a write (more under load "
                        + "and with --player-write-merge)")
                .register(registry);
        pingsSent = Counter.builder("tunnelcast.pings")
                .description("WebSocket pings sent to clients quiet for --ping-interval (no answer within --pong-timeout: 4431)")
                .register(registry);
        pingAnswers = Counter.builder("tunnelcast.ping.answers")
                .description("WebSocket pongs received from clients (answers to the relay's pings)")
                .register(registry);
        pongsQueued = Counter.builder("tunnelcast.pongs.queued")
                .description("Pong answers to players' Pings, queued behind their media in the bounded player queue")
                .register(registry);
        for (Carried carried : Carried.values()) {
            relayLatency.put(carried, Timer.builder("tunnelcast.relay.latency")
                    .description("relay receive to socket write completed, per message and player")
                    .tag("kind", carried.name().toLowerCase(Locale.ROOT))
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(50_000))
                    .maximumExpectedValue(Duration.ofSeconds(10))
                    .register(registry));
        }
        queueDepth = DistributionSummary.builder("tunnelcast.player.queue.depth").baseUnit("bytes")
                .description("player queue depth, sampled every second per player")
                .publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("tunnelcast.player.queue.bytes", queuedBytesTotal, AtomicLong::get)
                .description("bytes queued for all players at the last sample").register(registry);
        Gauge.builder("tunnelcast.rooms", rooms, AtomicInteger::get)
                .description("rooms with at least one member").register(registry);
        Gauge.builder("tunnelcast.room.members", roomMembers, AtomicInteger::get)
                .description("members of all rooms (streams room.participant with a live publisher)").register(registry);
        for (RoomChange change : RoomChange.values()) {
            if (change != RoomChange.ROOM_CHANGE_UNSPECIFIED && change != RoomChange.UNRECOGNIZED) {
                roomEvents.put(change, Counter.builder("tunnelcast.room.events")
                        .description("RoomEvents sent to members, by change")
                        .tag("change", change.name().substring("ROOM_CHANGE_".length()).toLowerCase()).register(registry));
            }
        }
        roomUpdatesCoalesced = Counter.builder("tunnelcast.room.updates.coalesced")
                .description("PublisherState changes sent in a later UPDATED together with newer ones (at most one per member per 50 ms)")
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    public void connectionOpened(Role role) {
        open.get(role).incrementAndGet();
        opened.get(role).increment();
    }

    public void connectionClosed(Role role) {
        open.get(role).decrementAndGet();
    }

    public int openConnections(Role role) {
        return open.get(role).get();
    }

    public void refused(CloseCode code) {
        refusals.get(code).increment();
    }

    public double refusals(CloseCode code) {
        return refusals.get(code).count();
    }

    public void received(int bytes) {
        messagesIn.increment();
        bytesIn.increment(bytes);
    }

    /**
     * One message carrying {@code carried} written to one player, {@code latencyNanos} after the relay
     * received it (negative: not measured).
     */
    public void sent(int bytes, long latencyNanos, Carried carried) {
        messagesOut.increment();
        bytesOut.increment(bytes);
        if (latencyNanos >= 0) {
            relayLatency.get(carried).record(latencyNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** One player's batch of messages written whole (one gathering write, or its rest when the socket took part). */
    public void batchSent() {
        batchesOut.increment();
    }

    /** One WebSocket ping sent to a quiet client. */
    public void pingSent() {
        pingsSent.increment();
    }

    /** Messages written to players so far. */
    public double messagesSent() {
        return messagesOut.count();
    }

    /** Players' batches written so far ({@link #batchSent()}). */
    public double batchesSent() {
        return batchesOut.count();
    }

    public double pingsSent() {
        return pingsSent.count();
    }

    /** One WebSocket pong received. */
    public void pingAnswered() {
        pingAnswers.increment();
    }

    public double pingAnswers() {
        return pingAnswers.count();
    }

    /** One Pong queued for a player (its Ping's answer goes through the bounded queue). */
    public void pongQueued() {
        pongsQueued.increment();
    }

    /** The drop counter of one stream (cache it: streams are few). */
    public Counter drops(String stream) {
        return dropsByStream.computeIfAbsent(stream, s -> Counter.builder("tunnelcast.drops")
                .description("video messages dropped for slow players").tag("stream", s).register(registry));
    }

    /**
     * The layer switch counters of one stream, down and up, then its padding probes, carried,
     * failed and skipped (docs/protocol.md, "Simulcast"), registered with the stream (cache them: streams are few).
     */
    public Counter[] layerSwitches(String stream) {
        return layerSwitchesByStream.computeIfAbsent(stream, s -> new Counter[] {layerSwitch(s, "down"), layerSwitch(s, "up"),
            layerProbe(s, "carried"), layerProbe(s, "failed"), layerProbe(s, "skipped")});
    }

    private Counter layerProbe(String stream, String result) {
        return Counter.builder("tunnelcast.layer.probes")
                .description("padding probes of whether a player's link carries the simulcast layer above: carried (it goes up), failed, "
                        + "or skipped (keyframe trains measured the link too slow)")
                .tag("stream", stream).tag("result", result).register(registry);
    }

    private Counter layerSwitch(String stream, String direction) {
        return Counter.builder("tunnelcast.layer.switches")
                .description("players moved to a lower (down) or higher (up) simulcast layer")
                .tag("stream", stream).tag("direction", direction).register(registry);
    }

    /** A stream retired: its per-stream meters go, so that many short-lived names do not pile up. */
    public void forgetStream(String stream) {
        Counter drops = dropsByStream.remove(stream);
        if (drops != null) {
            registry.remove(drops);
        }
        Counter[] switches = layerSwitchesByStream.remove(stream);
        if (switches != null) {
            for (Counter c : switches) {
                registry.remove(c);
            }
        }
    }

    /** A room got its first member. */
    public void roomOpened() {
        rooms.incrementAndGet();
    }

    /** A room lost its last member. */
    public void roomClosed() {
        rooms.decrementAndGet();
    }

    public void roomMemberJoined() {
        roomMembers.incrementAndGet();
    }

    public void roomMemberLeft() {
        roomMembers.decrementAndGet();
    }

    public int rooms() {
        return rooms.get();
    }

    public int roomMembers() {
        return roomMembers.get();
    }

    /** One RoomEvent sent to one member. */
    public void roomEventSent(RoomChange change) {
        roomEvents.get(change).increment();
    }

    /** A state change that did not get an UPDATED of its own (a newer one carried it). */
    public void roomUpdateCoalesced() {
        roomUpdatesCoalesced.increment();
    }

    public void sampledQueueDepth(long bytes) {
        queueDepth.record(bytes);
    }

    public void sampledTotalQueuedBytes(long bytes) {
        queuedBytesTotal.set(bytes);
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
