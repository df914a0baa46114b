package dev.tunnelcast.server.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;

/**
 * HTTP connections without a request in progress: new ones (a TLS handshake, a first request
 * header on its way, or nothing at all) and kept-alive ones between two requests. Each such
 * connection costs a socket and gives nothing, so
 * <ul>
 *   <li>each gets {@code --header-timeout} to complete its next request header, from its
 *       opening or the end of its previous request, then is closed (a header timeout);</li>
 *   <li>they are bounded in all and per client address ({@code --max-idle-connections},
 *       {@code --max-idle-per-address}). A new connection over a bound takes the place of the
 *       oldest kept-alive one (that one had its answers; a client reopens), else it is closed at
 *       once; a response that ends over a bound ends its connection instead of keeping it.</li>
 * </ul>
 * No route reads a request body, so a request that announces one gets 413 and its connection
 * is closed, rather than kept waiting for a body that may never come (Undertow would wait to
 * drain it before even sending the answer).
 * Exported as {@code tunnelcast_connections_idle}, {@code tunnelcast_idle_refusals_total{bound}},
 * {@code tunnelcast_keepalive_closes_total}, {@code tunnelcast_header_timeouts_total} and
 * {@code tunnelcast_http_bodies_refused_total}, each with a {@code listener} tag.
 */
public final class IdleConnections {

    private final AddressQuota quota;
    private final long timeoutMillis;
    /** Every open HTTP connection, by its channel (what an exchange leads back to), until it closes or upgrades. */
    private final Map<StreamConnection, Watch> open = new ConcurrentHashMap<>();
    /** Kept-alive connections waiting for their next request, oldest first: the ones a new connection may replace. */
    private final Deque<Watch> keptAlive = new ConcurrentLinkedDeque<>();
    private final Map<AddressQuota.Bound, Counter> refusals = new EnumMap<>(AddressQuota.Bound.class);
    private final Counter keepAliveCloses;
    private final Counter headerTimeouts;
    private final Counter bodiesRefused;

    /**
     * Bounds for the connections of one group of listeners, named by {@code listener} in the
     * metrics' {@code listener} tag: {@code main} (the clients' plain and TLS listeners) or
     * {@code management} ({@code --metrics-bind}), which has a budget of its own so that a
     * flood on the public port cannot keep a scraper out.
     */
    public IdleConnections(String listener, int max, int maxPerAddress, Duration headerTimeout, MeterRegistry registry) {
        this.quota = new AddressQuota(max, maxPerAddress);
        this.timeoutMillis = headerTimeout.toMillis();
        Gauge.builder("tunnelcast.connections.idle", quota.total(), AtomicInteger::get).tag("listener", listener)
                .description("HTTP connections without a request in progress: new, sending a request header, or kept alive")
                .register(registry);
        for (AddressQuota.Bound bound : AddressQuota.Bound.values()) {
            refusals.put(bound, Counter.builder("tunnelcast.idle.refusals").tag("bound", bound.tag()).tag("listener", listener)
                    .description("new connections closed at once: too many idle ones (--max-idle-connections, --max-idle-per-address)")
                    .register(registry));
        }
        keepAliveCloses = Counter.builder("tunnelcast.keepalive.closes").tag("listener", listener)
                .description("kept-alive connections closed to make room under --max-idle-connections or --max-idle-per-address")
                .register(registry);
        headerTimeouts = Counter.builder("tunnelcast.header.timeouts").tag("listener", listener)
                .description("connections closed because no complete request header came within --header-timeout")
                .register(registry);
        bodiesRefused = Counter.builder("tunnelcast.http.bodies.refused").tag("listener", listener)
                .description("requests answered 413 and closed because they announce a body (no route reads one)")
                .register(registry);
    }

    /** Admits (or closes) each accepted connection, then hands it to Undertow's HTTP parser {@code http}. */
    public ChannelListener<StreamConnection> openListener(ChannelListener<? super StreamConnection> http) {
        return connection -> {
            InetAddress address = connection.getPeerAddress(InetSocketAddress.class).getAddress();
            AddressQuota.Bound refused = quota.tryTake(address);
            for (int tries = 0; refused != null && tries < 2 && closeOldestKeptAlive(refused, address); tries++) {
                refused = quota.tryTake(address); // the other bound may refuse now: one more try
            }
            if (refused != null) {
                refusals.get(refused).increment();
                IoUtils.safeClose(connection);
                return;
            }
            Watch watch = new Watch(connection, address);
            if (!watch.startWaiting(false)) {
                IoUtils.safeClose(connection);
                return;
            }
            open.put(connection, watch);
            ChannelListeners.invokeChannelListener(connection, http);
            // Undertow's connection has set its own close listener by now: run ours before it.
            ChannelListener<? super StreamConnection> undertows = connection.getCloseListener();
            connection.setCloseListener(closed -> {
                forget(watch);
                ChannelListeners.invokeChannelListener(closed, undertows);
            });
            if (!connection.isOpen()) {
                forget(watch);
            }
        };
    }

    /** Wraps the root handler: called once a request header is complete, so the connection is busy. */
    public HttpHandler rootHandler(HttpHandler next) {
        return exchange -> {
            Watch watch = exchange.getConnection() instanceof AbstractServerConnection http ? open.get(http.getChannel()) : null;
            if (watch != null && watch.busy()) {
                exchange.addExchangeCompleteListener((done, nextListener) -> {
                    afterRequest(watch, done);
                    nextListener.proceed();
                });
            }
            if (announcesBody(exchange)) {
                bodiesRefused.increment();
                exchange.setPersistent(false); // answered, then closed: nothing waits for the body
                exchange.setStatusCode(StatusCodes.REQUEST_ENTITY_TOO_LARGE);
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
                exchange.getResponseSender().send("the relay reads no request body\n");
                return;
            }
            next.handleRequest(exchange);
        };
    }

    /** The exchange ended (Undertow's own listener, which reads the next request or closes, runs after this). */
    private void afterRequest(Watch watch, HttpServerExchange exchange) {
        if (!exchange.isPersistent() || exchange.isUpgrade()) {
            forget(watch); // closing, or a WebSocket from now on (PendingConnections counts it until Hello)
            return;
        }
        if (quota.tryTake(watch.address) != null) {
            exchange.setPersistent(false);
            keepAliveCloses.increment();
            forget(watch);
            return;
        }
        if (!watch.startWaiting(true)) {
            exchange.setPersistent(false);
        }
    }

    /** Closes the oldest kept-alive connection that holds a place under {@code bound}; false if none does. */
    private boolean closeOldestKeptAlive(AddressQuota.Bound bound, InetAddress address) {
        for (Watch oldest : keptAlive) {
            if ((bound == AddressQuota.Bound.TOTAL || oldest.address.equals(address)) && oldest.evict()) {
                open.remove(oldest.connection);
                keepAliveCloses.increment();
                // Its place is free already; the close itself runs on the connection's own thread.
                oldest.connection.getIoThread().execute(() -> IoUtils.safeClose(oldest.connection));
                return true;
            }
        }
        return false;
    }

    private void forget(Watch watch) {
        watch.gone();
        open.remove(watch.connection);
    }

    private static boolean announcesBody(HttpServerExchange exchange) {
        String length = exchange.getRequestHeaders().getFirst(Headers.CONTENT_LENGTH);
        return exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING)
                || length != null && !length.trim().equals("0");
    }

    private enum State { NEW, KEPT_ALIVE, BUSY, GONE }

    /** One connection's state; it holds a place in the quota exactly while it is NEW or KEPT_ALIVE. */
    private final class Watch {
        final StreamConnection connection;
        final InetAddress address;
        private State state = State.BUSY;
        private XnioExecutor.Key timer;
        private long period;

        Watch(StreamConnection connection, InetAddress address) {
            this.connection = connection;
            this.address = address;
        }

        /**
         * Starts a wait for a request header, its place already taken; false (place given back)
         * if the connection is gone, or its I/O thread is stopping with the relay.
         */
        synchronized boolean startWaiting(boolean afterRequest) {
            long thisPeriod = ++period;
            try {
                if (state != State.GONE) {
                    timer = connection.getIoThread().executeAfter(() -> expire(thisPeriod), timeoutMillis, TimeUnit.MILLISECONDS);
                }
            } catch (RejectedExecutionException stopping) {
                state = State.GONE;
            }
            if (state == State.GONE) {
                quota.give(address);
                return false;
            }
            state = afterRequest ? State.KEPT_ALIVE : State.NEW;
            if (afterRequest) {
                keptAlive.addLast(this);
            }
            return true;
        }

        /** A request header is complete: the wait ends; false if there was none. */
        synchronized boolean busy() {
            return endWait(State.BUSY);
        }

        /** Closed, upgraded, or about to be closed by the relay: no wait from now on. */
        synchronized void gone() {
            endWait(State.GONE);
            state = State.GONE;
        }

        /** Gives up this kept-alive connection's place to a new one; false if it is not waiting between requests. */
        synchronized boolean evict() {
            return state == State.KEPT_ALIVE && endWait(State.GONE);
        }

        private boolean endWait(State next) {
            if (state != State.NEW && state != State.KEPT_ALIVE) {
                return false;
            }
            state = next;
            quota.give(address);
            timer.remove();
            keptAlive.remove(this);
            return true;
        }

        private synchronized void expire(long expiredPeriod) {
            if (expiredPeriod == period && endWait(State.GONE)) {
                headerTimeouts.increment();
                open.remove(connection);
                IoUtils.safeClose(connection);
            }
        }
    }
}
