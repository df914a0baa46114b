package dev.tunnelcast.agent.publish;

import dev.tunnelcast.agent.clock.ClockOffsetEstimator;
import dev.tunnelcast.agent.clock.LocalClock;
import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.EndOfStream;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Hello;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.Ping;
import dev.tunnelcast.proto.v1.Pong;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.proto.v1.StatusCode;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.Welcome;
import dev.tunnelcast.wire.CloseCodes;
import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes to the relay over one WebSocket ({@code /ws/publish/{stream}}): Hello → Welcome,
 * the track configs, then media from the {@link SendQueue}; pings every couple of seconds
 * for the clock offset; answers the relay's keyframe requests. When the connection drops
 * it reconnects with backoff and jitter and resumes with the configs and a fresh keyframe
 * (sequence numbers keep increasing). {@link #close()} sends EndOfStream and closes cleanly.
 * Every Hello carries the same random instance id, so a reconnect takes the stream over from
 * this publisher's own stale connection at once instead of being refused with 4409. With
 * several relay URLs (a cluster's nodes) each reconnect goes to the next one
 * ({@link RelayRotation}), so a publisher whose node died republishes through another.
 */
public final class Publisher implements MediaSink, AutoCloseable {

    /**
     * The socket send buffer: small, so a slow uplink backs up into the {@link SendQueue} (where video can be
     * dropped) and not into the kernel.
     */
    public static final int SOCKET_SEND_BUFFER_BYTES = 64 * 1024;

    static {
        // Both are read once when the JDK's HTTP client is first used; set them unless the user did.
        // Basic auth for CONNECT proxies is disabled in the JDK by default; the user asked for it.
        if (System.getProperty("jdk.http.auth.tunneling.disabledSchemes") == null) {
            System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
        }
        // Linux grows a socket's send buffer to megabytes: seconds of video queued out of our reach.
        if (System.getProperty("jdk.httpclient.sendBufferSize") == null) {
            System.setProperty("jdk.httpclient.sendBufferSize", Integer.toString(SOCKET_SEND_BUFFER_BYTES));
        }
    }

    /** What the publisher needs from the rest of the agent. Called from the publisher's threads. */
    public interface Listener {
        void onKeyframeNeeded(String why);

        void onVideoDropped();

        void onFatal(FatalPublishException error);
    }

    private static final Logger log = LoggerFactory.getLogger(Publisher.class);
    private static final long KEYFRAME_REQUEST_MIN_INTERVAL_MICROS = 300_000;
    private static final SecureRandom INSTANCE_ID_RANDOM = new SecureRandom();

    private final PublisherConfig config;
    private final LocalClock clock;
    private final ClockOffsetEstimator estimator;
    private final Listener listener;
    private final SendQueue queue;
    private final HttpClient client;
    private final Backoff backoff;
    /** Touched by the publisher's thread only. */
    private final RelayRotation relays;
    private final String instanceId = newInstanceId();
    private volatile List<TrackConfig> trackConfigs = List.of();
    private volatile boolean live;
    /**
     * Going live and announcing tracks are one step each: without it, tracks announced while a
     * session goes live (the encoders open as the first connection comes up) were neither sent
     * with the session's configs nor as an update, and the relay refused the first packet (4422).
     */
    private final Object goLiveLock = new Object();
    private volatile boolean closing;
    private volatile WebSocket webSocket;
    private final CompletableFuture<Void> flushed = new CompletableFuture<>();
    private Thread thread;
    private long pingId;
    private volatile long lastKeyframeRequestMicros;
    /** When the newest Ping was handed to the socket, and whether its Pong came back: for {@link #networkDelayMicros()}. */
    private volatile long lastPingSentMicros;
    private volatile boolean lastPingAnswered = true;
    /** The newest Pong's count of what the relay received on this connection; null before one or from a relay that does not count. */
    private volatile RelayReceipt lastReceipt;
    private volatile CompletableFuture<Void> firstPong = new CompletableFuture<>();

    private final AtomicLong videoSent = new AtomicLong();
    private final AtomicLong audioSent = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong droppedOfflineVideo = new AtomicLong();
    private final AtomicLong droppedOfflineAudio = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private volatile String lastError = "";
    /** The failure last logged: {@link #lastError} cannot tell, a refusal's Status overwrites it. */
    private String lastLoggedFailure = "";

    public Publisher(PublisherConfig config, LocalClock clock, ClockOffsetEstimator estimator, Listener listener) {
        this.config = config;
        this.clock = clock;
        this.estimator = estimator;
        this.listener = listener;
        this.queue = new SendQueue(config.sendQueueBytes(), config.sendQueueAge().toNanos() / 1000, clock,
                listener::onVideoDropped);
        this.backoff = new Backoff(config.backoffInitial().toMillis(), config.backoffMax().toMillis(),
                ThreadLocalRandom.current());
        this.relays = new RelayRotation(config.relays());
        this.client = buildClient(config);
    }

    private static HttpClient buildClient(PublisherConfig config) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(config.connectTimeout());
        if (config.relay().getScheme().equals("wss")) {
            b.sslContext(config.tls().sslContext());
        }
        ProxySettings proxy = config.proxy();
        if (proxy != null) {
            b.proxy(proxy.selector());
            if (proxy.hasCredentials()) {
                b.authenticator(new Authenticator() {
                    @Override
                    protected PasswordAuthentication getPasswordAuthentication() {
                        return getRequestorType() == RequestorType.PROXY
                                ? new PasswordAuthentication(proxy.user(), proxy.password().toCharArray()) : null;
                    }
                });
            }
        }
        return b.build();
    }

    public void start() {
        thread = new Thread(this::run, "publisher");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void onTrackConfigs(List<TrackConfig> configs) {
        synchronized (goLiveLock) {
            trackConfigs = List.copyOf(configs);
            if (live) {
                configs.forEach(c -> queue.offerControlLast(Envelope.newBuilder().setTrackConfig(c).build().toByteArray()));
            }
        }
    }

    @Override
    public void onMedia(MediaPacket packet) {
        boolean video = packet.getTrackId() == trackIdOfVideo();
        if (!live || closing) {
            (video ? droppedOfflineVideo : droppedOfflineAudio).incrementAndGet();
            return;
        }
        queue.offerMedia(Envelope.newBuilder().setMediaPacket(packet).build().toByteArray(), video, packet.getKeyframe(),
                packet.getLayer());
    }

    private int trackIdOfVideo() {
        for (TrackConfig c : trackConfigs) {
            if (c.getKind() == dev.tunnelcast.proto.v1.TrackKind.TRACK_KIND_VIDEO) {
                return c.getTrackId();
            }
        }
        return -1;
    }

    private void run() {
        while (!closing) {
            try {
                runSession();
            } catch (FatalPublishException e) {
                lastError = e.getMessage();
                log.error("The relay refused this publisher: {}", e.getMessage());
                listener.onFatal(e);
                break;
            } catch (InterruptedException e) {
                break;
            } catch (Exception e) {
                onAttemptFailed(e);
            } finally {
                live = false;
            }
            if (closing) {
                break;
            }
            long delay = backoff.nextDelayMillis();
            URI relay = relays.size() > 1 ? relays.next() : relays.current();
            log.debug("Reconnecting to {} in {} ms", relay, delay);
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                break;
            }
        }
        flushed.complete(null);
    }

    /** Logs a failed connection once per kind of failure, not once per retry. */
    private void onAttemptFailed(Exception e) {
        String error = describe(e);
        lastError = error;
        if (error.equals(lastLoggedFailure)) {
            log.debug("Connection to {} failed again: {}", relays.current(), error);
            return;
        }
        lastLoggedFailure = error;
        if (e instanceof RelayClosedException closed && closed.closeCode() == CloseCode.CLOSE_CODE_ROOM_FULL_VALUE) {
            log.warn("Room full: the relay refused {} ({}); retrying with backoff (at most {} apart) until a member leaves",
                    config.stream(), error, config.backoffMax().toMillis() + " ms");
        } else {
            log.warn("Connection to {} failed: {}{}", relays.current(), error,
                    relays.size() > 1 ? "; trying the next relay" : "");
        }
    }

    private void runSession() throws Exception {
        CompletableFuture<Welcome> welcome = new CompletableFuture<>();
        RelaySession session = newSession(welcome);
        URI relay = relays.current();
        WebSocket ws;
        try {
            ws = client.newWebSocketBuilder().connectTimeout(config.connectTimeout())
                    .buildAsync(config.publishUri(relay), session).get(config.connectTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        webSocket = ws;
        try {
            send(ws, Envelope.newBuilder().setHello(Hello.newBuilder().setRole(Role.ROLE_PUBLISHER)
                    .setProtocolVersion(1).setClientName(config.clientName()).setClientVersion(version())
                    .setDisplayName(config.displayName()).setInstanceId(instanceId)
                    .setRoomEvents(false)) // publish-only: the agent shows nobody the room
                    .build().toByteArray());
            CompletableFuture.anyOf(welcome, session.closed()).get(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!welcome.isDone()) {
                throw closedBy(session);
            }
            Welcome w = welcome.get();
            awaitFirstPong(ws);
            synchronized (goLiveLock) {
                queue.reset();
                trackConfigs.forEach(c -> queue.offerControlLast(Envelope.newBuilder().setTrackConfig(c).build().toByteArray()));
                lastPingAnswered = true; // a Ping lost with the previous connection waits for nothing
                lastReceipt = null; // the relay counts per connection
                live = true;
            }
            long n = connections.incrementAndGet();
            log.info("Publishing {} to {} (session {}{})", config.stream(), relay, w.getSessionId(),
                    n > 1 ? ", reconnect " + (n - 1) : "");
            lastError = "";
            lastLoggedFailure = "";
            listener.onKeyframeNeeded(n > 1 ? "reconnected" : "connected");
            sendLoop(ws, session);
        } catch (java.io.IOException e) {
            // A send failed because the relay closed: report its close code (a fatal one stops us).
            try {
                session.closed().get(500, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException ignored) {
                throw e;
            }
            if (!endedCleanly(session)) {
                throw closedBy(session);
            }
        } finally {
            live = false;
            if (!ws.isOutputClosed() || !ws.isInputClosed()) {
                ws.abort();
            }
            webSocket = null;
        }
    }

    /**
     * One ping/pong before media flows (the quick pings that follow refine the estimate). The
     * capture pipeline encodes nothing before the first estimate exists, so no packet ever
     * leaves with a capture time off the relay clock, even when this Pong is late.
     */
    private void awaitFirstPong(WebSocket ws) throws Exception {
        CompletableFuture<Void> pong = new CompletableFuture<>();
        firstPong = pong;
        send(ws, ping(clock.nowMicros()));
        try {
            pong.get(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (estimator.hasEstimate()) {
                log.warn("The relay did not answer a Ping in {}: capture times keep the previous clock offset ({} µs)",
                        config.connectTimeout(), estimator.offsetMicros());
            } else {
                log.warn("The relay did not answer a Ping in {}: media waits for the first Pong (clock offset)",
                        config.connectTimeout());
            }
        }
    }

    private void sendLoop(WebSocket ws, RelaySession session) throws Exception {
        long sessionStart = clock.nowMicros();
        long nextPing = sessionStart;
        int quickPings = 3; // a few pings at once for a good first offset estimate
        while (true) {
            if (session.closed().isDone()) {
                if (endedCleanly(session)) {
                    return;
                }
                throw closedBy(session);
            }
            long now = clock.nowMicros();
            if (now - sessionStart > 5_000_000) {
                backoff.reset(); // a connection that held for a while starts the backoff over
            }
            if (now >= nextPing) {
                queue.offerControlFirst(ping(now));
                nextPing = now + (quickPings-- > 0 ? 100_000 : config.pingInterval().toNanos() / 1000);
            }
            SendQueue.Item item = queue.poll(20, TimeUnit.MILLISECONDS);
            if (item != null) {
                if (item.kind() == SendQueue.Kind.CONTROL && isPing(item.bytes())) {
                    long sentAt = clock.nowMicros();
                    item = new SendQueue.Item(ping(sentAt), item.kind(), false, item.enqueuedAtMicros());
                    lastPingSentMicros = sentAt;
                    lastPingAnswered = false;
                }
                send(ws, item.bytes());
                bytesSent.addAndGet(item.bytes().length);
                if (item.kind() == SendQueue.Kind.VIDEO) {
                    videoSent.incrementAndGet();
                } else if (item.kind() == SendQueue.Kind.AUDIO) {
                    audioSent.incrementAndGet();
                }
            } else if (closing) {
                // "Output closed" here means the relay closed first: handled as a clean end above
                await(ws.sendClose(WebSocket.NORMAL_CLOSURE, "end of stream"), 2);
                try {
                    session.closed().get(1, TimeUnit.SECONDS);
                } catch (TimeoutException | ExecutionException ignored) {
                    // the relay did not answer the close; we are done anyway
                }
                return;
            }
        }
    }

    private void send(WebSocket ws, byte[] bytes) throws Exception {
        await(ws.sendBinary(ByteBuffer.wrap(bytes), true), 10);
    }

    /** Waits for a WebSocket send; its failure is thrown as is (an IOException once the output closed). */
    private static void await(CompletableFuture<WebSocket> send, int seconds) throws Exception {
        try {
            send.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private byte[] ping(long nowMicros) {
        return Envelope.newBuilder().setPing(Ping.newBuilder().setId(++pingId).setSendTimeMicros(nowMicros)).build()
                .toByteArray();
    }

    private static boolean isPing(byte[] bytes) {
        return bytes.length > 0 && bytes[0] == (5 << 3 | 2); // field 5 (ping), length-delimited
    }

    /** The receiving side of one connection: each message the relay sends goes to {@link #onEnvelope}. */
    RelaySession newSession(CompletableFuture<Welcome> welcome) {
        return new RelaySession(env -> onEnvelope(env, welcome));
    }

    private void onEnvelope(Envelope env, CompletableFuture<Welcome> welcome) {
        switch (env.getKindCase()) {
            case WELCOME -> welcome.complete(env.getWelcome());
            case PONG -> {
                Pong p = env.getPong();
                estimator.onPong(p.getPingSendTimeMicros(), p.getReceiveTimeMicros(), p.getSendTimeMicros(), clock.nowMicros());
                if (p.getReceivedBytes() > 0) {
                    lastReceipt = new RelayReceipt(p.getReceivedBytes(), p.getReceiveTimeMicros());
                }
                if (p.getPingSendTimeMicros() == lastPingSentMicros) {
                    lastPingAnswered = true;
                }
                firstPong.complete(null);
            }
            case PING -> {
                long now = clock.nowMicros();
                queue.offerControlFirst(Envelope.newBuilder().setPong(Pong.newBuilder().setId(env.getPing().getId())
                        .setPingSendTimeMicros(env.getPing().getSendTimeMicros()).setReceiveTimeMicros(now)
                        .setSendTimeMicros(now)).build().toByteArray());
            }
            case KEYFRAME_REQUEST -> {
                long now = clock.nowMicros();
                if (now - lastKeyframeRequestMicros >= KEYFRAME_REQUEST_MIN_INTERVAL_MICROS) {
                    lastKeyframeRequestMicros = now;
                    listener.onKeyframeNeeded("relay: " + env.getKeyframeRequest().getReason());
                }
            }
            case STATUS -> {
                if (env.getStatus().getCode() == StatusCode.STATUS_CODE_REFUSED) {
                    lastError = env.getStatus().getMessage() + " (" + env.getStatus().getCloseCode() + ")";
                } else {
                    log.debug("relay status {}", env.getStatus().getCode());
                }
            }
            case ROOM_EVENT -> log.debug("ignoring a RoomEvent ({}): this publisher asked for none",
                    env.getRoomEvent().getChange());
            default -> log.debug("ignoring {} from the relay", env.getKindCase());
        }
    }

    /**
     * Whether the session ended as a stop should: we are closing (EndOfStream sent) and the
     * relay answered it with 1000. The JDK replies to that Close by itself, so a ping or our
     * own Close that was still on its way fails with "Output closed": not worth a warning.
     */
    private boolean endedCleanly(RelaySession session) {
        return closing && session.closed().isDone() && !session.closed().isCompletedExceptionally()
                && session.closed().getNow(-1) == WebSocket.NORMAL_CLOSURE;
    }

    private Exception closedBy(RelaySession session) {
        try {
            int code = session.closed().getNow(-1);
            String reason = session.closeReason();
            String text = "relay closed the connection with " + code + (reason.isEmpty() ? "" : " " + reason);
            if (CloseCodes.isFatal(code)) {
                return new FatalPublishException(code, text);
            }
            return new RelayClosedException(code, text);
        } catch (Exception e) {
            return new IllegalStateException("connection lost: " + describe(e));
        }
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof RelayClosedException) {
            return t.getMessage();
        }
        if (t instanceof WebSocketHandshakeException h) {
            return "WebSocket handshake refused: HTTP " + h.getResponse().statusCode();
        }
        if (t.getMessage() != null && t.getMessage().startsWith("Tunnel failed, got: ")) {
            String status = t.getMessage().substring("Tunnel failed, got: ".length()).trim();
            return status.equals("407") ? "the proxy wants credentials (HTTP 407): give them in --proxy or --proxy-user"
                    : "the proxy refused the tunnel (HTTP " + status + (status.equals("401") || status.equals("403")
                    ? ": wrong proxy credentials?)" : ")");
        }
        if (t instanceof java.net.ConnectException && t.getMessage() == null) {
            return "connection refused (is the relay running?)";
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** 22 characters of [A-Za-z0-9_-] (128 random bits): the relay wants 8 to 64 of them. */
    private static String newInstanceId() {
        byte[] bytes = new byte[16];
        INSTANCE_ID_RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String version() {
        String v = Publisher.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Sends EndOfStream after what is queued, closes the WebSocket cleanly and stops reconnecting. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        if (live) {
            queue.offerControlLast(Envelope.newBuilder().setEndOfStream(EndOfStream.newBuilder().setReason("publisher stopped"))
                    .build().toByteArray());
        }
        closing = true;
        if (!live && thread != null) {
            thread.interrupt(); // nothing to flush: stop waiting for the next reconnect now
        }
        try {
            flushed.get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            WebSocket ws = webSocket;
            if (ws != null) {
                ws.abort();
            }
        }
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** The instance id every Hello of this publisher carries. */
    public String instanceId() {
        return instanceId;
    }

    public boolean connected() {
        return live;
    }

    public long videoPacketsSent() {
        return videoSent.get();
    }

    public long audioPacketsSent() {
        return audioSent.get();
    }

    public long bytesSent() {
        return bytesSent.get();
    }

    public long videoDropped() {
        return queue.droppedVideo() + droppedOfflineVideo.get();
    }

    public long audioDropped() {
        return queue.droppedAudio() + droppedOfflineAudio.get();
    }

    public long queuedBytes() {
        return queue.queuedBytes();
    }

    /** How long the oldest queued media message has waited (0 when none). */
    public long sendQueueDelayMicros() {
        return queue.oldestMediaAgeMicros();
    }

    /**
     * The queueing beyond the socket (its buffer, the network): the last Ping's round trip, or
     * the wait of one still unanswered, above the fastest round trip of the clock's window.
     * 0 before the first Pong.
     */
    public long networkDelayMicros() {
        ClockOffsetEstimator.Sample best = estimator.best();
        if (best == null) {
            return 0;
        }
        long rtt = estimator.lastRttMicros();
        if (!lastPingAnswered && live) {
            rtt = Math.max(rtt, clock.nowMicros() - lastPingSentMicros);
        }
        return Math.max(0, rtt - best.rttMicros());
    }

    /** What the relay had received on this connection at the newest Pong; null when unknown. */
    public RelayReceipt lastReceipt() {
        return lastReceipt;
    }

    public int queuedMessages() {
        return queue.size();
    }

    public long reconnects() {
        return Math.max(0, connections.get() - 1);
    }

    public String lastError() {
        return lastError;
    }
}
