package dev.tunnelcast.server.cluster;

import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.TrackConfig;
import dev.tunnelcast.proto.v1.TrackKind;
import dev.tunnelcast.server.archive.MediaFixture;
import dev.tunnelcast.server.testing.WsClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Real H.264 + Opus (a {@link MediaFixture}, looped with advancing timestamps) sent at the pace
 * of its timestamps from a thread of its own, as an agent does; it can pause at a chosen point
 * and go on through another connection (another node), keeping its timeline. The wall clock
 * stands still while it is paused, so the recorded media never runs ahead of real time.
 */
final class PacedMedia implements AutoCloseable {

    /** Where {@link #pause} stops the sending. */
    enum PausePoint {
        /** The next packet to send is a video keyframe. */
        BEFORE_KEYFRAME,
        /** The last packet sent was a video keyframe: the next ones are not. */
        AFTER_KEYFRAME
    }

    /** A video frame as sent: its timestamp, payload size, whether a keyframe, and when it left (wall clock). */
    record SentFrame(long ptsMicros, int size, boolean keyframe, long wallMicros) {}

    private static final Duration PAUSE_TIMEOUT = Duration.ofSeconds(30);

    private final MediaFixture media;
    private final Set<Integer> videoTracks;
    private final long firstPtsMicros;
    private final long loopMicros;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<SentFrame> sentVideo = new CopyOnWriteArrayList<>();
    private WsClient target;
    private PausePoint pauseAt;
    private boolean paused;
    private volatile boolean running = true;

    PacedMedia(MediaFixture media, WsClient first) {
        this.media = media;
        this.videoTracks = media.tracks().stream().filter(t -> t.getKind() == TrackKind.TRACK_KIND_VIDEO)
                .map(TrackConfig::getTrackId).collect(Collectors.toSet());
        this.firstPtsMicros = media.packets().stream().mapToLong(MediaPacket::getPtsMicros).min().orElseThrow();
        this.loopMicros = media.packets().stream().mapToLong(p -> p.getPtsMicros() + p.getDurationMicros()).max()
                .orElseThrow() - firstPtsMicros;
        this.target = first;
        sendConfigs(first);
        this.thread = new Thread(this::run, "paced-media");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long anchorNanos = System.nanoTime();
        try {
            for (long loop = 0; running; loop++) {
                for (MediaPacket original : media.packets()) {
                    MediaPacket packet = original.toBuilder()
                            .setPtsMicros(original.getPtsMicros() + loop * loopMicros)
                            .setSequence(original.getSequence() + loop * media.packets().size()).build();
                    boolean keyframe = videoTracks.contains(packet.getTrackId()) && packet.getKeyframe();
                    if (keyframe) {
                        anchorNanos += awaitResume(PausePoint.BEFORE_KEYFRAME);
                    }
                    long due = anchorNanos + (packet.getPtsMicros() - firstPtsMicros) * 1000;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    if (!running) {
                        return;
                    }
                    WsClient to = target();
                    to.drain(); // keyframe requests and statuses: not needed, not to pile up
                    to.send(Envelope.newBuilder().setMediaPacket(packet).build());
                    if (videoTracks.contains(packet.getTrackId())) {
                        sentVideo.add(new SentFrame(packet.getPtsMicros(), packet.getPayload().size(), keyframe,
                                ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now())));
                    }
                    if (keyframe) {
                        anchorNanos += awaitResume(PausePoint.AFTER_KEYFRAME);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | AssertionError e) {
            failure.set(e);
        }
    }

    /** Pauses here if asked to at {@code point}; returns how long it was paused. */
    private synchronized long awaitResume(PausePoint point) throws InterruptedException {
        if (pauseAt != point) {
            return 0;
        }
        long start = System.nanoTime();
        paused = true;
        notifyAll();
        while (paused && running) {
            wait();
        }
        return System.nanoTime() - start;
    }

    private synchronized WsClient target() {
        return target;
    }

    /** The video frames sent so far, in order. */
    List<SentFrame> sentVideo() {
        return List.copyOf(sentVideo);
    }

    /** Stops sending at {@code point} and returns once stopped there. */
    synchronized void pause(PausePoint point) throws InterruptedException {
        pauseAt = point;
        long deadline = System.nanoTime() + PAUSE_TIMEOUT.toNanos();
        while (!paused) {
            if (failure.get() != null) {
                throw new AssertionError("the paced sender failed", failure.get());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the paced sender did not reach " + point + " within " + PAUSE_TIMEOUT);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Goes on, through {@code next}: first the TrackConfigs, as a reconnecting agent sends them. */
    synchronized void resumeOn(WsClient next) {
        sendConfigs(next);
        target = next;
        pauseAt = null;
        paused = false;
        notifyAll();
    }

    private void sendConfigs(WsClient to) {
        media.tracks().forEach(t -> to.send(Envelope.newBuilder().setTrackConfig(t).build()));
    }

    /** Stops sending; a failure of the sending thread is thrown here. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        synchronized (this) {
            notifyAll();
        }
        thread.join(10_000);
        if (failure.get() != null) {
            throw new AssertionError("the paced sender failed", failure.get());
        }
    }
}
