package dev.tunnelcast.server.transport;

import dev.tunnelcast.server.relay.Peer;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.xnio.Buffers;
import org.xnio.XnioIoThread;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.StreamSinkConduit;
import org.xnio.conduits.WriteReadyHandler;

/**
 * One WebSocket's outgoing bytes, shared by two writers that never cut into each other's
 * frames: Undertow, which frames and writes the socket's own messages (a Welcome, a ping, the
 * close), and the relay's send pump, which writes pre-built data frames with one gathering
 * write ({@link #writeFrames}). Installed under Undertow's framed channel, on the connection's
 * sink, so Undertow's writes come through {@link #write(ByteBuffer[], int, int)}.
 *
 * <p>Undertow writes whole frames from their start and tries again with the rest; while its
 * last write left bytes over, it is inside a frame and the pump waits (it is started again
 * when Undertow's rest is out). While the pump's last write left bytes over, Undertow's writes
 * first finish the pump's rest, and write nothing of their own until it is out; the pump's rest
 * is also written whenever the socket becomes writable. Guarded by {@code this}; completions
 * run outside the lock, on the I/O thread.
 */
final class SharedSinkConduit extends AbstractStreamSinkConduit<StreamSinkConduit> {

    private final XnioIoThread ioThread;
    /** What is left of the pump's last gathering write, or null. */
    private ByteBuffer[] pumpRest;
    private int pumpRestCount;
    private Peer.SendCompletion pumpDone;
    /** A pump that found Undertow inside a frame; run once Undertow's rest is out. */
    private Runnable pumpWaiting;
    /** The waiting pump's completion: failed if the socket closes before it runs. */
    private Peer.SendCompletion pumpWaitingDone;
    private boolean undertowInsideFrame;
    private boolean undertowWantsWrites;
    private WriteReadyHandler undertowHandler;

    SharedSinkConduit(StreamSinkConduit next, XnioIoThread ioThread) {
        super(next);
        this.ioThread = ioThread;
    }

    /** What {@link #writeFrames} did. */
    enum Outcome {
        /** Everything was written; the completion is not called. */
        WRITTEN,
        /** Part is left; the completion is called when the rest is out (or failed). */
        PENDING,
        /**
         * Undertow is inside a frame: nothing was written; {@code retry} runs when it is out, or
         * the completion is failed if the socket closes first.
         */
        WAIT
    }

    /**
     * Writes {@code frames[0..count)} with one gathering write; on the I/O thread, one call at
     * a time (not while a previous one is {@link Outcome#PENDING}).
     */
    Outcome writeFrames(ByteBuffer[] frames, int count, Peer.SendCompletion done, Runnable retry) throws IOException {
        synchronized (this) {
            if (pumpRest != null) {
                throw new IllegalStateException("a gathering write is still pending");
            }
            if (undertowInsideFrame) {
                pumpWaiting = retry;
                pumpWaitingDone = done;
                return Outcome.WAIT;
            }
            next.write(frames, 0, count);
            if (!Buffers.hasRemaining(frames, 0, count)) {
                return Outcome.WRITTEN;
            }
            pumpRest = frames;
            pumpRestCount = count;
            pumpDone = done;
            next.resumeWrites();
            return Outcome.PENDING;
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Peer.SendCompletion finished;
        Runnable waiting = null;
        long written;
        synchronized (this) {
            finished = continuePump();
            if (pumpRest != null) {
                written = 0; // Undertow tries again when the socket is writable (it resumed writes)
            } else {
                written = next.write(srcs, offset, length);
                undertowInsideFrame = Buffers.hasRemaining(srcs, offset, length);
                if (!undertowInsideFrame) {
                    waiting = pumpWaiting;
                    pumpWaiting = null;
                    pumpWaitingDone = null;
                }
            }
        }
        complete(finished);
        if (waiting != null) {
            ioThread.execute(waiting);
        }
        return written;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public long writeFinal(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long written = write(srcs, offset, length);
        if (!Buffers.hasRemaining(srcs, offset, length)) {
            next.terminateWrites();
        }
        return written;
    }

    @Override
    public int writeFinal(ByteBuffer src) throws IOException {
        return (int) writeFinal(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public void resumeWrites() {
        synchronized (this) {
            undertowWantsWrites = true;
        }
        next.resumeWrites();
    }

    @Override
    public void wakeupWrites() {
        synchronized (this) {
            undertowWantsWrites = true;
        }
        next.wakeupWrites();
    }

    @Override
    public void suspendWrites() {
        synchronized (this) {
            undertowWantsWrites = false;
            if (pumpRest != null) {
                return; // the pump's rest still needs the socket's writable events
            }
        }
        next.suspendWrites();
    }

    @Override
    public boolean isWriteResumed() {
        synchronized (this) {
            return undertowWantsWrites;
        }
    }

    /** Takes the socket's writable events: the pump's rest first, then Undertow's listener. */
    @Override
    public void setWriteReadyHandler(WriteReadyHandler handler) {
        synchronized (this) {
            undertowHandler = handler;
        }
        next.setWriteReadyHandler(new WriteReadyHandler() {
            @Override
            public void writeReady() {
                onWritable();
            }

            @Override
            public void forceTermination() {
                handler().forceTermination();
            }

            @Override
            public void terminated() {
                Peer.SendCompletion abandoned;
                synchronized (SharedSinkConduit.this) {
                    abandoned = pumpDone != null ? pumpDone : pumpWaitingDone;
                    pumpRest = null;
                    pumpDone = null;
                    pumpWaiting = null;
                    pumpWaitingDone = null;
                }
                if (abandoned != null) {
                    abandoned.failed(new IOException("the socket closed with frames still to write"));
                }
                handler().terminated();
            }
        });
    }

    private synchronized WriteReadyHandler handler() {
        return undertowHandler;
    }

    private void onWritable() {
        Peer.SendCompletion finished;
        boolean undertow;
        try {
            synchronized (this) {
                finished = continuePump();
                undertow = undertowWantsWrites;
                if (pumpRest == null && !undertow) {
                    next.suspendWrites();
                }
            }
        } catch (IOException e) {
            failPump(e);
            return;
        }
        complete(finished);
        if (undertow) {
            handler().writeReady();
        }
    }

    /** Writes what is left of the pump's write; the completion to call when that is now all out, or null. Under the lock. */
    private Peer.SendCompletion continuePump() throws IOException {
        if (pumpRest == null) {
            return null;
        }
        next.write(pumpRest, 0, pumpRestCount);
        if (Buffers.hasRemaining(pumpRest, 0, pumpRestCount)) {
            return null;
        }
        Peer.SendCompletion done = pumpDone;
        pumpRest = null;
        pumpDone = null;
        return done;
    }

    private void failPump(IOException error) {
        Peer.SendCompletion done;
        synchronized (this) {
            done = pumpDone;
            pumpRest = null;
            pumpDone = null;
        }
        if (done != null) {
            done.failed(error);
        }
    }

    /** Calls a finished pump write's completion on the I/O thread (Undertow may write from another). */
    private void complete(Peer.SendCompletion finished) {
        if (finished == null) {
            return;
        }
        if (ioThread == Thread.currentThread()) {
            finished.sent();
        } else {
            ioThread.execute(finished::sent);
        }
    }
}
