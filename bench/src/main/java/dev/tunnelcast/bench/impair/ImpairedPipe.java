package dev.tunnelcast.bench.impair;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * One direction of one proxied connection, in two stages like a real path. The reader is
 * the bottleneck link: it waits out stalls and the rate cap before taking more bytes, so
 * (with small socket buffers) the sender feels the backpressure. Then propagation: each
 * chunk is released at max(its own departure + delay + jitter, the previous chunk's
 * release) — TCP keeps order, so jitter turns into head-of-line blocking — and the writer
 * forwards it then.
 */
final class ImpairedPipe {

    private static final int READ_BYTES = 16 * 1024;
    /** Bytes "on the wire" at most (a guard against memory growth, far above rate × delay). */
    private static final int IN_FLIGHT_BYTES = 16 << 20;

    private record Chunk(byte[] data, int length, long readNanos, long releaseNanos) {}

    private static final Chunk END = new Chunk(new byte[0], 0, 0, 0);

    private final Socket from;
    private final Socket to;
    private final Supplier<LinkProfile> profile;
    private final TokenBucket bucket;
    private final Random random;
    private final long linkStartNanos;
    private final LinkCounters counters;
    private final BlockingQueue<Chunk> wire = new LinkedBlockingQueue<>();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT_BYTES);
    private long lastReleaseNanos;

    ImpairedPipe(Socket from, Socket to, Supplier<LinkProfile> profile, TokenBucket bucket, Random random,
                 long linkStartNanos, LinkCounters counters) {
        this.from = from;
        this.to = to;
        this.profile = profile;
        this.bucket = bucket;
        this.random = random;
        this.linkStartNanos = linkStartNanos;
        this.counters = counters;
    }

    void start(String name) {
        daemon(this::readLoop, name + "-read");
        daemon(this::writeLoop, name + "-write");
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private void readLoop() {
        try (InputStream in = from.getInputStream()) {
            while (true) {
                LinkProfile p = profile.get();
                int max = p.capBitsPerSecond() > 0 ? Math.min(READ_BYTES, TokenBucket.sliceBytes(p.capBitsPerSecond())) : READ_BYTES;
                byte[] buf = new byte[max];
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                waitOutStall(p);
                long capStart = System.nanoTime();
                bucket.acquire(n, p.capBitsPerSecond());
                long departed = System.nanoTime();
                counters.capWaitNanos.add(departed - capStart);
                long own = departed + (long) ((p.delayMs() + p.jitter().sampleMs(random)) * 1e6);
                lastReleaseNanos = Math.max(own, lastReleaseNanos);
                inFlight.acquire(n);
                wire.add(new Chunk(buf, n, departed, lastReleaseNanos));
            }
        } catch (IOException e) {
            // a side closed: the writer closes the other
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        wire.add(END);
    }

    private void waitOutStall(LinkProfile p) throws InterruptedException {
        long remaining = p.stallRemainingNanos(System.nanoTime() - linkStartNanos);
        if (remaining > 0) {
            counters.stalls.increment();
            Thread.sleep(remaining / 1_000_000, (int) (remaining % 1_000_000));
        }
    }

    private void writeLoop() {
        try {
            OutputStream out = to.getOutputStream();
            while (true) {
                Chunk c = wire.take();
                if (c == END) {
                    to.shutdownOutput();
                    return;
                }
                long wait = c.releaseNanos() - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                out.write(c.data(), 0, c.length());
                out.flush();
                inFlight.release(c.length());
                counters.bytes.add(c.length());
                counters.chunks.increment();
                counters.held(System.nanoTime() - c.readNanos());
            }
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
