package dev.tunnelcast.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.server.relay.Peer;
import dev.tunnelcast.server.transport.SharedSinkConduit.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnio.OptionMap;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;
import org.xnio.conduits.WriteReadyHandler;

/**
 * The conduit's two writers over a socket that takes a few bytes per write: Undertow's frames
 * and the pump's gathered frames never cut into each other, every frame goes out whole and in
 * order, and each gathering write's completion is called exactly once. Steps run on a real
 * XNIO I/O thread; a step waits for the tasks the previous ones queued there (the conduit's
 * retries and completions), so every run is the same.
 */
class SharedSinkConduitTest {

    /** A frame of these tests: a writer (U: Undertow, P: pump), a number, a body. ASCII. */
    private static final Pattern FRAME = Pattern.compile("<([UP])\\d+:[a-z]*>");

    private XnioWorker worker;
    private XnioIoThread io;
    private StepSink sink;
    private SharedSinkConduit conduit;
    private UndertowWriter undertow;
    private Pump pump;

    @BeforeEach
    void startIoThread() throws IOException {
        worker = Xnio.getInstance().createWorker(OptionMap.EMPTY);
        io = worker.getIoThread();
        wire();
    }

    @AfterEach
    void stopIoThread() throws InterruptedException {
        worker.shutdownNow();
        assertThat(worker.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private void wire() {
        sink = new StepSink(io);
        conduit = new SharedSinkConduit(sink, io);
        undertow = new UndertowWriter(conduit);
        conduit.setWriteReadyHandler(undertow);
        pump = new Pump(conduit);
    }

    @Test
    void thePumpWaitsWhileUndertowIsInsideAFrameAndGoesOnOnceItIsOut() throws Exception {
        sink.takeNext(3);
        onIo(() -> undertow.send("<U1:welcome>"));
        int writesBefore = sink.writeCalls();

        Outcome outcome = onIo(() -> pump.send("<P1:aaaa>", "<P2:bbbb>"));

        assertThat(outcome).isEqualTo(Outcome.WAIT);
        assertThat(sink.writeCalls()).as("the pump wrote nothing").isEqualTo(writesBefore);
        assertThat(sink.written()).isEqualTo("<U1");

        sink.takeNext(0, 4); // the socket is full, then Undertow gets 4 bytes more
        onIo(sink::fireWritable);
        onIo(sink::fireWritable);
        settle();
        assertThat(pump.outcomes).as("no retry while Undertow is inside its frame").containsExactly(Outcome.WAIT);
        assertThat(sink.written()).isEqualTo("<U1:wel");

        onIo(sink::fireWritable);
        settle();

        assertThat(pump.outcomes).containsExactly(Outcome.WAIT, Outcome.WRITTEN);
        assertThat(pump.sentCalls).isEqualTo(1);
        assertThat(sink.written()).isEqualTo("<U1:welcome><P1:aaaa><P2:bbbb>");
    }

    @Test
    void undertowWritesNothingOfItsOwnUntilThePumpsRestIsOut() throws Exception {
        sink.takeByDefault(3);
        assertThat(onIo(() -> pump.send("<P1:aaaaaaa>", "<P2:bbbbbbb>"))).isEqualTo(Outcome.PENDING);
        assertThat(sink.resumed()).as("the pump's rest needs the writable events").isTrue();

        onIo(() -> undertow.send("<U1:ping>"));

        assertThat(undertow.writeResults).containsExactly(0L);
        assertThat(sink.written()).isEqualTo("<P1:aa");
        for (int i = 0; i < 20 && pump.sentCalls == 0; i++) {
            onIo(sink::fireWritable);
            if (pump.sentCalls == 0) {
                assertThat(sink.written()).doesNotContain("U");
                assertThat(undertow.writeResults).containsOnly(0L);
            }
        }
        sink.takeByDefault(Integer.MAX_VALUE);
        onIo(sink::fireWritable);
        settle();

        assertThat(pump.sentCalls).isEqualTo(1);
        assertThat(pump.failedCalls).isZero();
        assertThat(sink.written()).isEqualTo("<P1:aaaaaaa><P2:bbbbbbb><U1:ping>");
        assertThat(sink.resumed()).as("nobody wants the writable events any more").isFalse();
    }

    @Test
    void thePumpsRestIsFinishedByWritableEventsAlone() throws Exception {
        sink.takeNext(5, 0, 6);
        assertThat(onIo(() -> pump.send("<P1:aaaaaaa>", "<P2:bbbbbbb>"))).isEqualTo(Outcome.PENDING);

        onIo(sink::fireWritable);
        onIo(sink::fireWritable);
        assertThat(pump.sentCalls).isZero();
        assertThat(sink.written()).isEqualTo("<P1:aaaaaaa");
        onIo(sink::fireWritable);
        settle();

        assertThat(pump.sentCalls).isEqualTo(1);
        assertThat(pump.sentOn).isSameAs(io);
        assertThat(sink.written()).isEqualTo("<P1:aaaaaaa><P2:bbbbbbb>");
        assertThat(sink.events()).endsWith("suspend");
        assertThat(sink.resumed()).isFalse();
    }

    @Test
    void undertowSuspendingWritesLeavesThePumpItsWritableEvents() throws Exception {
        sink.takeNext(3);
        assertThat(onIo(() -> pump.send("<P1:aaaaaaa>"))).isEqualTo(Outcome.PENDING);

        onIo(conduit::suspendWrites); // Undertow has nothing of its own to write

        assertThat(sink.resumed()).isTrue();
        assertThat(conduit.isWriteResumed()).as("what Undertow asked for").isFalse();
        onIo(sink::fireWritable);
        settle();
        assertThat(pump.sentCalls).isEqualTo(1);
        assertThat(sink.written()).isEqualTo("<P1:aaaaaaa>");
        assertThat(sink.resumed()).isFalse();
    }

    @Test
    void undertowWritingFromAnotherThreadFinishesThePumpsRestAndTheCompletionRunsOnTheIoThread() throws Exception {
        sink.takeNext(3);
        assertThat(onIo(() -> pump.send("<P1:aaaaaaa>"))).isEqualTo(Outcome.PENDING);

        undertow.send("<U1:status>"); // as WebSockets.sendBinary from a thread of the relay's

        settle();
        assertThat(pump.sentCalls).isEqualTo(1);
        assertThat(pump.sentOn).isSameAs(io);
        assertThat(sink.written()).isEqualTo("<P1:aaaaaaa><U1:status>");
    }

    @Test
    void undertowsCloseFrameShutsTheSocketOnlyAfterThePumpsRestAndItself() throws Exception {
        sink.takeNext(3, 3);
        assertThat(onIo(() -> pump.send("<P1:aaaaaaa>"))).isEqualTo(Outcome.PENDING);

        ByteBuffer close = ascii("<U1:close>");

        assertThat(onIo(() -> conduit.writeFinal(close))).isZero();
        assertThat(sink.events()).doesNotContain("terminate");
        assertThat(onIo(() -> conduit.writeFinal(close))).isEqualTo(10);
        settle();
        assertThat(pump.sentCalls).isEqualTo(1);
        assertThat(sink.written()).isEqualTo("<P1:aaaaaaa><U1:close>");
        assertThat(sink.events()).endsWith("terminate");
    }

    @Test
    void aPendingWriteFailsOnceWhenTheSocketCloses() throws Exception {
        sink.takeNext(3);
        assertThat(onIo(() -> pump.send("<P1:aaaaaaa>"))).isEqualTo(Outcome.PENDING);

        onIo(sink::fireTerminated);
        sink.takeByDefault(Integer.MAX_VALUE);
        onIo(sink::fireWritable);
        onIo(sink::fireTerminated);
        settle();

        assertThat(pump.failedCalls).isEqualTo(1);
        assertThat(pump.sentCalls).isZero();
        assertThat(undertow.terminations).as("Undertow hears of the close too").isEqualTo(2);
        assertThat(sink.written()).isEqualTo("<P1");
    }

    @Test
    void aWaitingWriteFailsOnceWhenTheSocketCloses() throws Exception {
        sink.takeNext(3);
        onIo(() -> undertow.send("<U1:ping>"));
        assertThat(onIo(() -> pump.send("<P1:aaaaaaa>"))).isEqualTo(Outcome.WAIT);

        onIo(sink::fireTerminated);
        onIo(sink::fireTerminated);
        settle();

        assertThat(pump.failedCalls).isEqualTo(1);
        assertThat(pump.sentCalls).isZero();
        assertThat(pump.outcomes).as("no retry after the close").containsExactly(Outcome.WAIT);
    }

    @Test
    void whateverTheSocketTakesEveryFrameGoesOutWholeAndInOrder() throws Exception {
        for (long seed = 1; seed <= 60; seed++) {
            wire();
            interleaveRandomly(seed);
        }
    }

    /** Undertow's sends, pump batches and writable events in a seeded order, over a socket taking 0 to 20 bytes a write. */
    private void interleaveRandomly(long seed) throws Exception {
        Random random = new Random(seed);
        int[] budgets = {0, 1, 2, 3, 5, 8, 20};
        List<String> undertowFrames = new ArrayList<>();
        List<String> pumpFrames = new ArrayList<>();
        int batches = 0;
        for (int step = 0; step < 200; step++) {
            sink.takeByDefault(budgets[random.nextInt(budgets.length)]);
            switch (random.nextInt(3)) {
                case 0 -> {
                    String frame = frame('U', undertowFrames.size(), random);
                    undertowFrames.add(frame);
                    onIo(() -> undertow.send(frame));
                }
                case 1 -> {
                    if (onIo(() -> pump.busy)) {
                        break;
                    }
                    String[] batch = new String[1 + random.nextInt(4)];
                    for (int i = 0; i < batch.length; i++) {
                        batch[i] = frame('P', pumpFrames.size(), random);
                        pumpFrames.add(batch[i]);
                    }
                    batches++;
                    onIo(() -> pump.send(batch));
                }
                default -> {
                    if (sink.resumed()) {
                        onIo(sink::fireWritable);
                    }
                }
            }
        }
        sink.takeByDefault(Integer.MAX_VALUE);
        for (int i = 0; i < 10 && sink.resumed(); i++) {
            onIo(sink::fireWritable);
            settle();
        }
        settle();

        String written = sink.written();
        assertThat(written).as("seed %d: whole frames only", seed).matches("(" + FRAME.pattern() + ")*");
        assertThat(framesOf(written, "U")).as("seed %d: Undertow's frames", seed).isEqualTo(undertowFrames);
        assertThat(framesOf(written, "P")).as("seed %d: the pump's frames", seed).isEqualTo(pumpFrames);
        assertThat(pump.sentCalls).as("seed %d: one completion per batch", seed).isEqualTo(batches);
        assertThat(pump.failedCalls).isZero();
        assertThat(onIo(() -> pump.busy || !undertow.idle())).as("seed %d: nothing left behind", seed).isFalse();
    }

    private static String frame(char writer, int number, Random random) {
        return "<" + writer + number + ":" + "abcdefghijklmnopqrstuvwxyz".substring(0, random.nextInt(12)) + ">";
    }

    private static List<String> framesOf(String written, String writer) {
        List<String> frames = new ArrayList<>();
        Matcher m = FRAME.matcher(written);
        while (m.find()) {
            if (m.group(1).equals(writer)) {
                frames.add(m.group());
            }
        }
        return frames;
    }

    private static ByteBuffer ascii(String frame) {
        return ByteBuffer.wrap(frame.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Runs a step on the I/O thread, after every task queued there before it, and waits for it. */
    private <T> T onIo(Callable<T> step) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        io.execute(() -> {
            try {
                result.complete(step.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(30, TimeUnit.SECONDS);
    }

    private void onIo(ThrowingStep step) throws Exception {
        onIo(() -> {
            step.run();
            return null;
        });
    }

    /** Waits until the tasks queued on the I/O thread so far (retries, completions) have run. */
    private void settle() throws Exception {
        onIo(() -> null);
    }

    private interface ThrowingStep {
        void run() throws Exception;
    }

    /**
     * Stands in for Undertow's framed channel: writes its frames one at a time from their
     * start, and when a write leaves bytes over, resumes writes and tries again when the
     * socket is writable; suspends once all is out.
     */
    private static final class UndertowWriter implements WriteReadyHandler {
        private final SharedSinkConduit conduit;
        private final ArrayDeque<ByteBuffer> queued = new ArrayDeque<>();
        final List<Long> writeResults = new ArrayList<>();
        int terminations;

        UndertowWriter(SharedSinkConduit conduit) {
            this.conduit = conduit;
        }

        synchronized void send(String frame) throws IOException {
            queued.add(ascii(frame));
            if (!flush()) {
                conduit.resumeWrites();
            }
        }

        synchronized boolean idle() {
            return queued.isEmpty();
        }

        private boolean flush() throws IOException {
            while (!queued.isEmpty()) {
                ByteBuffer head = queued.peek();
                writeResults.add(conduit.write(new ByteBuffer[] {head}, 0, 1));
                if (head.hasRemaining()) {
                    return false;
                }
                queued.poll();
            }
            return true;
        }

        @Override
        public synchronized void writeReady() {
            try {
                if (flush()) {
                    conduit.suspendWrites();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void forceTermination() {
        }

        @Override
        public synchronized void terminated() {
            terminations++;
        }
    }

    /**
     * Stands in for the relay's send pump as {@link UndertowClientSocket#sendFrames} drives
     * the conduit: one batch at a time, the next only after the last one's completion.
     */
    private static final class Pump implements Peer.SendCompletion {
        private final SharedSinkConduit conduit;
        final List<Outcome> outcomes = new ArrayList<>();
        int sentCalls;
        int failedCalls;
        Thread sentOn;
        boolean busy;

        Pump(SharedSinkConduit conduit) {
            this.conduit = conduit;
        }

        Outcome send(String... frames) throws IOException {
            assertThat(busy).as("one batch at a time").isFalse();
            busy = true;
            ByteBuffer[] buffers = new ByteBuffer[frames.length];
            for (int i = 0; i < frames.length; i++) {
                buffers[i] = ascii(frames[i]);
            }
            return write(buffers);
        }

        private Outcome write(ByteBuffer[] frames) throws IOException {
            Outcome outcome = conduit.writeFrames(frames, frames.length, this, () -> {
                try {
                    write(frames);
                } catch (IOException e) {
                    failed(e);
                }
            });
            outcomes.add(outcome);
            if (outcome == Outcome.WRITTEN) {
                sent();
            }
            return outcome;
        }

        @Override
        public void sent() {
            sentCalls++;
            sentOn = Thread.currentThread();
            busy = false;
        }

        @Override
        public void failed(Throwable error) {
            failedCalls++;
            busy = false;
        }
    }
}
