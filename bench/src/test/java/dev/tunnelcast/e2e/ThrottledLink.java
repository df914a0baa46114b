package dev.tunnelcast.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A real TCP hop on loopback whose upstream direction (client → server) is limited to a
 * given rate, like a slow uplink. Small socket buffers, so the slowness reaches the
 * client's own send path instead of disappearing into kernel buffers.
 */
final class ThrottledLink implements AutoCloseable {

    private static final int BUFFER = 8 * 1024;

    private final ServerSocket server;
    private final int targetPort;
    private final long bytesPerSecond;
    private final List<Socket> sockets = new ArrayList<>();
    private volatile boolean closed;

    ThrottledLink(int targetPort, long bytesPerSecond) throws IOException {
        this.targetPort = targetPort;
        this.bytesPerSecond = bytesPerSecond;
        this.server = new ServerSocket();
        server.setReceiveBufferSize(BUFFER);
        server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(this::acceptLoop, "throttled-link");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        try {
            while (!closed) {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.setSendBufferSize(BUFFER);
                upstream.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(upstream);
                }
                pump(client.getInputStream(), upstream.getOutputStream(), bytesPerSecond);
                pump(upstream.getInputStream(), client.getOutputStream(), Long.MAX_VALUE);
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void pump(InputStream in, OutputStream out, long rate) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[2048];
            long start = System.nanoTime();
            long sent = 0;
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    out.flush();
                    sent += n;
                    if (rate != Long.MAX_VALUE) {
                        long dueNanos = start + sent * 1_000_000_000L / rate;
                        long wait = dueNanos - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                }
            } catch (IOException | InterruptedException e) {
                // a side closed
            }
        }, "throttled-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
