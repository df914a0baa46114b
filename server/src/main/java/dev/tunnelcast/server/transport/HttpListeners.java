package dev.tunnelcast.server.transport;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * The relay's HTTP/1.1 listeners, plain and TLS, on one XNIO worker: what {@link Undertow}'s
 * builder sets up (its worker, socket and parser options), without HTTP/2 and AJP, and with
 * {@link IdleConnections} between the accept and Undertow's parser, for which the builder has
 * no hook. {@link #close()} stops accepting and shuts the worker down, as {@link Undertow#stop()}.
 */
public final class HttpListeners implements AutoCloseable {

    /** Undertow's default for heaps of 128 MB and more: 16 KiB less room for protocol headers (UNDERTOW-1209). */
    private static final int BUFFER_BYTES = 16 * 1024 - 20;

    private final XnioWorker worker;
    private final DefaultByteBufferPool buffers = new DefaultByteBufferPool(true, BUFFER_BYTES, -1, 4);
    private final ChannelListener<AcceptingChannel<StreamConnection>> accept;
    private final List<AcceptingChannel<? extends StreamConnection>> channels = new CopyOnWriteArrayList<>();

    private HttpListeners(XnioWorker worker, HttpHandler root, IdleConnections idle) {
        this.worker = worker;
        // Undertow's own timeouts stay unset: IdleConnections times request headers, and counts it.
        HttpOpenListener http = new HttpOpenListener(buffers, OptionMap.builder()
                .set(UndertowOptions.BUFFER_PIPELINED_DATA, true)
                .set(UndertowOptions.ENABLE_HTTP2, false)
                .getMap());
        http.setRootHandler(idle.rootHandler(root));
        this.accept = ChannelListeners.openListenerAdapter(idle.openListener(http));
    }

    /** Starts a worker of {@code ioThreads} I/O threads and {@code workerThreads} task threads, with no listener yet. */
    public static HttpListeners start(int ioThreads, int workerThreads, HttpHandler root, IdleConnections idle) throws IOException {
        XnioWorker worker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, ioThreads)
                .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
                .set(Options.CONNECTION_LOW_WATER, 1_000_000)
                .set(Options.WORKER_TASK_CORE_THREADS, workerThreads)
                .set(Options.WORKER_TASK_MAX_THREADS, workerThreads)
                .set(Options.TCP_NODELAY, true)
                .set(Options.CORK, true)
                .getMap());
        return new HttpListeners(worker, root, idle);
    }

    /** Listens for plain HTTP on {@code host}:{@code port} (0: a free port); returns the bound port. */
    public int listen(String host, int port) throws IOException {
        return started(worker.createStreamConnectionServer(address(host, port), accept, socketOptions()));
    }

    /** Listens for HTTPS on {@code host}:{@code port} (0: a free port); returns the bound port. */
    public int listenTls(String host, int port, SSLContext ssl) throws IOException {
        UndertowXnioSsl xnioSsl = new UndertowXnioSsl(worker.getXnio(), OptionMap.create(Options.USE_DIRECT_BUFFERS, true), ssl);
        @SuppressWarnings({"unchecked", "rawtypes"}) // an SslConnection is a StreamConnection; XNIO's generics do not say so
        ChannelListener<? super AcceptingChannel<org.xnio.ssl.SslConnection>> sslAccept = (ChannelListener) accept;
        return started(xnioSsl.createSslConnectionServer(worker, address(host, port), sslAccept, socketOptions()));
    }

    private int started(AcceptingChannel<? extends StreamConnection> channel) {
        channels.add(channel);
        channel.resumeAccepts();
        return channel.getLocalAddress(InetSocketAddress.class).getPort();
    }

    private OptionMap socketOptions() {
        return OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, worker.getIoThreadCount())
                .set(Options.TCP_NODELAY, true)
                .set(Options.REUSE_ADDRESSES, true)
                .set(Options.BALANCING_TOKENS, 1)
                .set(Options.BALANCING_CONNECTIONS, 2)
                .set(Options.BACKLOG, 1000)
                .getMap();
    }

    private static InetSocketAddress address(String host, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    @Override
    public void close() {
        channels.forEach(IoUtils::safeClose);
        channels.clear();
        worker.shutdown();
        try {
            worker.awaitTermination();
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            buffers.close();
        }
    }
}
