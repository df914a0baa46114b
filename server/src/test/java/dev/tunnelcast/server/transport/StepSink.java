package dev.tunnelcast.server.transport;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.StreamSinkConduit;
import org.xnio.conduits.WriteReadyHandler;

/**
 * The socket under a {@link SharedSinkConduit} in its tests: each write takes at most the
 * number of bytes the test scripted for it (0: the socket is full), appends them to one byte
 * array, and the test fires the writable and terminated events a selector would. Records
 * resume and suspend, so a test sees whether the conduit asked for the events it needs.
 */
final class StepSink implements StreamSinkConduit {

    private final XnioIoThread ioThread;
    private final ArrayDeque<Integer> nextBudgets = new ArrayDeque<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final List<String> events = new ArrayList<>();
    private int defaultBudget = Integer.MAX_VALUE;
    private int writeCalls;
    private boolean resumed;
    private boolean shutDown;
    private WriteReadyHandler handler;

    StepSink(XnioIoThread ioThread) {
        this.ioThread = ioThread;
    }

    /** The next writes take at most these many bytes each, in turn; then the default. */
    synchronized void takeNext(int... budgets) {
        for (int budget : budgets) {
            nextBudgets.add(budget);
        }
    }

    /** Writes without a scripted budget take at most this many bytes. */
    synchronized void takeByDefault(int budget) {
        defaultBudget = budget;
    }

    /** Everything written so far (the frames' bytes are ASCII). */
    synchronized String written() {
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    synchronized int writeCalls() {
        return writeCalls;
    }

    synchronized boolean resumed() {
        return resumed;
    }

    /** "resume", "suspend" and "terminate", in the order they were called. */
    synchronized List<String> events() {
        return List.copyOf(events);
    }

    /** What the selector does when the socket becomes writable; call on the I/O thread. */
    void fireWritable() {
        handler().writeReady();
    }

    /** What the selector does when the socket closes; call on the I/O thread. */
    void fireTerminated() {
        handler().terminated();
    }

    private synchronized WriteReadyHandler handler() {
        return handler;
    }

    @Override
    public synchronized long write(ByteBuffer[] srcs, int offset, int length) {
        writeCalls++;
        int budget = nextBudgets.isEmpty() ? defaultBudget : nextBudgets.poll();
        long taken = 0;
        for (int i = offset; i < offset + length && taken < budget; i++) {
            ByteBuffer src = srcs[i];
            while (src.hasRemaining() && taken < budget) {
                bytes.write(src.get());
                taken++;
            }
        }
        return taken;
    }

    @Override
    public int write(ByteBuffer src) {
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public long writeFinal(ByteBuffer[] srcs, int offset, int length) {
        return write(srcs, offset, length);
    }

    @Override
    public int writeFinal(ByteBuffer src) {
        return write(src);
    }

    @Override
    public synchronized void terminateWrites() {
        shutDown = true;
        events.add("terminate");
    }

    @Override
    public synchronized boolean isWriteShutdown() {
        return shutDown;
    }

    @Override
    public synchronized void resumeWrites() {
        resumed = true;
        events.add("resume");
    }

    @Override
    public synchronized void suspendWrites() {
        resumed = false;
        events.add("suspend");
    }

    @Override
    public void wakeupWrites() {
        resumeWrites();
    }

    @Override
    public synchronized boolean isWriteResumed() {
        return resumed;
    }

    @Override
    public synchronized void setWriteReadyHandler(WriteReadyHandler handler) {
        this.handler = handler;
    }

    @Override
    public XnioIoThread getWriteThread() {
        return ioThread;
    }

    @Override
    public XnioWorker getWorker() {
        return ioThread.getWorker();
    }

    @Override
    public boolean flush() {
        return true;
    }

    @Override
    public long transferFrom(FileChannel src, long position, long count) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long transferFrom(StreamSourceChannel source, long count, ByteBuffer throughBuffer) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void awaitWritable() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void awaitWritable(long time, TimeUnit timeUnit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void truncateWrites() {
        throw new UnsupportedOperationException();
    }
}
