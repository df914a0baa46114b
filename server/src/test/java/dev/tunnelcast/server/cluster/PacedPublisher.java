package dev.tunnelcast.server.cluster;

import static dev.tunnelcast.server.testing.Messages.VIDEO;

import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.WsClient;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps a welcomed publisher's video flowing from a thread of its own while the test does
 * something else (kills a node, moves a player): one packet every 20 ms, a keyframe every
 * tenth packet or as soon as the relay asks for one.
 */
final class PacedPublisher implements AutoCloseable {

    private final WsClient publisher;
    private final Thread thread;
    private final AtomicLong nextSequence = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    PacedPublisher(WsClient publisher) {
        this.publisher = publisher;
        publisher.send(Messages.videoConfig(VIDEO));
        this.thread = new Thread(this::run, "paced-publisher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                boolean asked = publisher.drain().stream().anyMatch(r -> r.envelope().hasKeyframeRequest());
                long sequence = nextSequence.getAndIncrement();
                publisher.send(Messages.packet(VIDEO, sequence, asked || sequence % 10 == 0, 1200));
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | AssertionError e) {
            failure.set(e);
        }
    }

    /** The sequence of the next packet to be sent. */
    long nextSequence() {
        return nextSequence.get();
    }

    /** Stops sending; a failure of the sending thread (the publishing node went away) is thrown here. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
        if (failure.get() != null) {
            throw new AssertionError("the paced publisher failed", failure.get());
        }
    }
}
