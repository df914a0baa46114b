package dev.tunnelcast.server.transport;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.server.RelayConfig;
import dev.tunnelcast.server.auth.Action;
import dev.tunnelcast.server.auth.RequestToken;
import dev.tunnelcast.server.auth.TokenAuthority;
import dev.tunnelcast.server.auth.TokenVerdict;
import dev.tunnelcast.server.clock.RelayClock;
import dev.tunnelcast.server.metrics.RelayMetrics;
import dev.tunnelcast.server.relay.LayerRequest;
import dev.tunnelcast.server.relay.StreamRegistry;
import dev.tunnelcast.wire.StreamName;
import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import io.undertow.util.PathTemplateMatch;
import io.undertow.util.StatusCodes;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioExecutor;

/**
 * Accepts WebSockets on {@code /ws/publish/{stream}} or {@code /ws/play/{stream}}: checks
 * the stream name and the token ({@link RequestToken}) right after the handshake (so a browser
 * learns why it is refused), starts the Hello timeout, logs the open and the close with its reason.
 */
public final class ClientEndpoint implements WebSocketConnectionCallback {

    private static final Logger log = LoggerFactory.getLogger(ClientEndpoint.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RelayMetrics.Role role;
    private final RelayConfig config;
    private final RelayClock clock;
    private final TokenAuthority tokens;
    private final StreamRegistry registry;
    private final RelayMetrics metrics;
    private final PendingConnections pending;

    public ClientEndpoint(RelayMetrics.Role role, RelayConfig config, TokenAuthority tokens,
                          StreamRegistry registry, RelayMetrics metrics, PendingConnections pending) {
        this.role = role;
        this.pending = pending;
        this.config = config;
        this.clock = config.clock();
        this.tokens = tokens;
        this.registry = registry;
        this.metrics = metrics;
    }

    /**
     * The HTTP handler of this endpoint's path: the WebSocket handshake, and for any other
     * request (a plain GET, an unsupported {@code Sec-WebSocket-Version}) {@code 426 Upgrade
     * Required} naming the version the relay speaks, as RFC 6455 section 4.4 asks.
     */
    public HttpHandler handler() {
        return Handlers.websocket(this, exchange -> {
            exchange.setStatusCode(StatusCodes.UPGRADE_REQUIRED);
            exchange.getResponseHeaders().put(Headers.UPGRADE, "websocket");
            exchange.getResponseHeaders().put(Headers.SEC_WEB_SOCKET_VERSION, "13");
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
            exchange.getResponseSender().send("this path takes a WebSocket upgrade, version 13\n");
        });
    }

    @Override
    public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        String stream = requestedStream(exchange);
        Connection connection = new Connection(new UndertowClientSocket(channel), newSessionId(), role, printable(stream), metrics);
        metrics.connectionOpened(role);
        log.info("open {}", connection);
        if (role == RelayMetrics.Role.PLAYER) {
            if (config.playerSocketSendBuffer() > 0) {
                connection.limitSendBuffer(config.playerSocketSendBuffer());
            }
        }

        LayerRequest layers = LayerRequest.AUTO;
        String badLayerRequest = null;
        if (role == RelayMetrics.Role.PLAYER) {
            try {
                layers = LayerRequest.parse(firstParameter(exchange, "quality"), firstParameter(exchange, "start"),
                        firstParameter(exchange, "viewport"));
            } catch (IllegalArgumentException e) {
                badLayerRequest = e.getMessage();
            }
        }
        ClientListener listener = role == RelayMetrics.Role.PUBLISHER
                ? new PublisherListener(connection, clock, config.maxMessageBytes(), registry, metrics)
                : new PlayerListener(connection, clock, config.maxMessageBytes(), registry, layers);
        PendingConnections.Place place = pending.enter(channel.getSourceAddress().getAddress());
        listener.onHello(place::leave);
        connection.onRelease(() -> {
            place.leave();
            listener.closed(connection.closeReason());
        });
        channel.addCloseTask(ch -> {
            metrics.connectionClosed(role);
            connection.release();
            log.info("close {} reason={}", connection, connection.closeReason());
        });
        Heartbeat heartbeat = new Heartbeat(connection, clock, metrics, config.pingInterval(), config.pongTimeout());
        listener.onHeard(heartbeat::heard);
        listener.onPong(metrics::pingAnswered);
        channel.getReceiveSetter().set(listener);
        channel.resumeReceives();
        heartbeat.start();

        if (place.refusal() != null) {
            connection.refuse(CloseCode.CLOSE_CODE_TOO_MANY, place.refusal());
            return;
        }

        if (!StreamName.isValid(stream)) {
            connection.refuse(CloseCode.CLOSE_CODE_INVALID_STREAM, StreamName.RULE);
            return;
        }
        Action action = role == RelayMetrics.Role.PUBLISHER ? Action.PUBLISH : Action.PLAY;
        String token = RequestToken.of(exchange.getRequestHeader(Headers.AUTHORIZATION_STRING), firstParameter(exchange, "token"));
        TokenVerdict verdict = tokens.check(token, action, stream,
                Instant.ofEpochSecond(0, clock.nowMicros() * 1000));
        if (!verdict.isAccepted()) {
            connection.refuse(verdict.kind() == TokenVerdict.Kind.FORBIDDEN
                    ? CloseCode.CLOSE_CODE_FORBIDDEN : CloseCode.CLOSE_CODE_UNAUTHORIZED, verdict.detail());
            return;
        }
        if (badLayerRequest != null) {
            connection.refuse(CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION, badLayerRequest);
            return;
        }
        XnioExecutor.Key helloTimer = channel.getIoThread().executeAfter(() -> {
            if (!listener.helloReceived()) {
                connection.refuse(CloseCode.CLOSE_CODE_BAD_MESSAGE, "no Hello within " + config.helloTimeout().toMillis() + " ms");
            }
        }, config.helloTimeout().toMillis(), TimeUnit.MILLISECONDS);
        channel.addCloseTask(ch -> helloTimer.remove());
    }

    /**
     * The stream name exactly as the client wrote it: the raw request path after the route's
     * prefix, not decoded and with nothing stripped. Undertow's path template drops path
     * parameters ({@code /ws/play/a;b} would match as {@code a}) and decodes {@code %xx};
     * the name must be valid as sent, so that one URL never names two streams.
     */
    private static String requestedStream(WebSocketHttpExchange exchange) {
        PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
        if (match == null) {
            return "";
        }
        String prefix = match.getMatchedTemplate().replace("{stream}", "");
        String path = exchange.getRequestURI();
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (!path.startsWith("/")) { // absolute-form request target: http://host:port/path
            int authority = path.indexOf("://");
            int slash = authority < 0 ? -1 : path.indexOf('/', authority + 3);
            path = slash < 0 ? "" : path.substring(slash);
        }
        return path.startsWith(prefix) ? path.substring(prefix.length()) : "";
    }

    /**
     * A small kernel send buffer keeps a slow player's backlog in its relay queue, where
     * age and drop-to-keyframe apply; an autotuned one can hide many seconds of video.
     */
    private static String firstParameter(WebSocketHttpExchange exchange, String name) {
        List<String> values = exchange.getRequestParameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Invalid names still appear in logs: keep them short and printable. */
    private static String printable(String name) {
        String cut = name.length() > 80 ? name.substring(0, 80) + "…" : name;
        return cut.replaceAll("[^\\x21-\\x7e…]", "?");
    }

    private static String newSessionId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
