package dev.tunnelcast.bench.impair;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A network impairment on loopback: a real TCP proxy on 127.0.0.1 (a free port) to a target
 * port, impairing each direction by its {@link LinkProfile} — delay, jitter, a rate cap and
 * stalls — the way a TCP path does: no loss, no reordering, jitter as head-of-line blocking,
 * backpressure reaching the sender through small socket buffers. Every connection through
 * it shares one link per direction (one cap, one stall schedule). Profiles can change while
 * it runs (a cap that drops and recovers).
 *
 * <pre>{@code
 * try (ImpairmentProxy proxy = ImpairmentProxy.start(relayPort, LinkProfile.clean(),
 *         LinkProfile.clean().withDelay(50, Jitter.uniform(10)))) {
 *     connect to proxy.port() instead of relayPort
 * }
 * }</pre>
 */
public final class ImpairmentProxy implements AutoCloseable {

    /** Client → target (e.g. agent → relay, player's requests) or target → client (relay → player). */
    public enum Direction { UPSTREAM, DOWNSTREAM }

    /** Socket buffers, small so that a slow link pushes back on the sender instead of filling kernel buffers. */
    public static final int DEFAULT_SOCKET_BUFFER_BYTES = 16 * 1024;

    private final ServerSocket server;
    private final int targetPort;
    private final int socketBufferBytes;
    private final long startNanos = System.nanoTime();
    private final Map<Direction, AtomicReference<LinkProfile>> profiles = new EnumMap<>(Direction.class);
    private final Map<Direction, TokenBucket> buckets = new EnumMap<>(Direction.class);
    private final Map<Direction, LinkCounters> counters = new EnumMap<>(Direction.class);
    private final Random random;
    private final List<Socket> sockets = new ArrayList<>();
    private volatile boolean closed;

    private ImpairmentProxy(int targetPort, LinkProfile upstream, LinkProfile downstream, int socketBufferBytes,
                            long seed) throws IOException {
        this.targetPort = targetPort;
        this.socketBufferBytes = socketBufferBytes;
        this.random = new Random(seed);
        profiles.put(Direction.UPSTREAM, new AtomicReference<>(upstream));
        profiles.put(Direction.DOWNSTREAM, new AtomicReference<>(downstream));
        for (Direction d : Direction.values()) {
            buckets.put(d, new TokenBucket());
            counters.put(d, new LinkCounters());
        }
        server = new ServerSocket();
        server.setReceiveBufferSize(socketBufferBytes);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(this::acceptLoop, "impairment-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    /** A proxy to {@code 127.0.0.1:targetPort} with the default socket buffers and a fixed seed. */
    public static ImpairmentProxy start(int targetPort, LinkProfile upstream, LinkProfile downstream) throws IOException {
        return start(targetPort, upstream, downstream, DEFAULT_SOCKET_BUFFER_BYTES, 1);
    }

    public static ImpairmentProxy start(int targetPort, LinkProfile upstream, LinkProfile downstream,
                                        int socketBufferBytes, long seed) throws IOException {
        return new ImpairmentProxy(targetPort, upstream, downstream, socketBufferBytes, seed);
    }

    public int port() {
        return server.getLocalPort();
    }

    /**
     * {@code direct} (a URL of the proxied server) with this proxy's port: a page opened at it
     * comes through the proxy, and so do its scripts and its WebSocket (the page's own origin).
     */
    public URI route(URI direct) {
        try {
            return new URI(direct.getScheme(), null, direct.getHost(), port(), direct.getPath(), direct.getQuery(),
                    direct.getFragment());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot route " + direct + " through port " + port(), e);
        }
    }

    public LinkProfile profile(Direction d) {
        return profiles.get(d).get();
    }

    /** Changes one direction's impairment; takes effect with the next chunk read. */
    public void setProfile(Direction d, LinkProfile profile) {
        profiles.get(d).set(profile);
    }

    public LinkStats stats(Direction d) {
        return counters.get(d).snapshot();
    }

    private void acceptLoop() {
        int connection = 0;
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            connection++;
            Socket target = new Socket();
            try {
                client.setTcpNoDelay(true);
                client.setSendBufferSize(socketBufferBytes);
                target.setTcpNoDelay(true);
                target.setSendBufferSize(socketBufferBytes);
                target.setReceiveBufferSize(socketBufferBytes);
                target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
            } catch (IOException e) {
                ImpairedPipe.closeQuietly(client); // the target refused: so does the proxy
                ImpairedPipe.closeQuietly(target);
                continue;
            }
            synchronized (sockets) {
                if (closed) {
                    ImpairedPipe.closeQuietly(client);
                    ImpairedPipe.closeQuietly(target);
                    return;
                }
                sockets.add(client);
                sockets.add(target);
            }
            pipe(client, target, Direction.UPSTREAM).start("impair-up-" + connection);
            pipe(target, client, Direction.DOWNSTREAM).start("impair-down-" + connection);
        }
    }

    private ImpairedPipe pipe(Socket from, Socket to, Direction d) {
        AtomicReference<LinkProfile> profile = profiles.get(d);
        return new ImpairedPipe(from, to, profile::get, buckets.get(d), random, startNanos, counters.get(d));
    }

    /**
     * Resets every connection open now, both ways (TCP RST, no WebSocket close frame): what a
     * client sees when its network drops it. New connections are accepted as before.
     *
     * @return the sockets that were still open (two per connection: the client's and the target's)
     */
    public int resetConnections() {
        synchronized (sockets) {
            int open = 0;
            for (Socket s : sockets) {
                if (!s.isClosed()) {
                    open++;
                }
                try {
                    s.setSoLinger(true, 0); // close() then sends RST instead of FIN
                } catch (IOException ignored) {
                    // already closed
                }
                ImpairedPipe.closeQuietly(s);
            }
            sockets.clear();
            return open;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        synchronized (sockets) {
            sockets.forEach(ImpairedPipe::closeQuietly);
            sockets.clear();
        }
    }
}
