package dev.tunnelcast.bench.impair;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** A loopback server that accepts one connection and records every byte it reads and when. */
final class Sink implements AutoCloseable {

    /** One read: its time (System.nanoTime) and the total bytes received after it. */
    record Read(long atNanos, long totalBytes) {}

    private final ServerSocket server;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final List<Read> reads = new ArrayList<>();
    private final Thread thread;

    Sink() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::run, "sink");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void run() {
        try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                long now = System.nanoTime();
                synchronized (this) {
                    received.write(buf, 0, n);
                    reads.add(new Read(now, received.size()));
                }
            }
        } catch (IOException ignored) {
            // closed
        }
    }

    /** Waits until the sender's end of stream reached the sink (bounded). */
    void awaitEnd(long millis) throws InterruptedException {
        thread.join(millis);
        if (thread.isAlive()) {
            throw new AssertionError("the sink did not see the end of the stream within " + millis + " ms");
        }
    }

    synchronized byte[] bytes() {
        return received.toByteArray();
    }

    synchronized List<Read> reads() {
        return List.copyOf(reads);
    }

    /** When the byte at {@code offset} arrived. */
    synchronized long arrivalOf(long offset) {
        for (Read r : reads) {
            if (r.totalBytes() > offset) {
                return r.atNanos();
            }
        }
        throw new AssertionError("byte " + offset + " never arrived");
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
