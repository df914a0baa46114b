package dev.tunnelcast.agent.publish;

import dev.tunnelcast.agent.clock.LocalClock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue between the encoders and the WebSocket. Capture never waits on it:
 * when the uplink falls behind (more than {@code maxBytes} queued, or the oldest message
 * older than {@code maxAgeMicros}), every queued video packet is dropped and incoming video
 * is dropped until the next keyframe (of each simulcast layer: a layer's frames resume only at
 * its own keyframe, whatever the others did), so the picture resumes cleanly; audio is kept unless
 * the byte bound itself is hit with no video left to drop (the age bound is video's only).
 * Control messages (configs, pings) are never dropped and
 * go to the head of the queue. Every drop is counted.
 */
public final class SendQueue {

    /** A serialized envelope and what the queue needs to know about it. */
    public record Item(byte[] bytes, Kind kind, boolean keyframe, long enqueuedAtMicros) {}

    public enum Kind { CONTROL, VIDEO, AUDIO }

    /** Told when video had to be dropped, so the encoder can send a keyframe (and slow down). */
    public interface OverflowListener {
        void onVideoDropped();
    }

    private final long maxBytes;
    private final long maxAgeMicros;
    private final LocalClock clock;
    private final OverflowListener overflowListener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Deque<Item> items = new ArrayDeque<>();
    private long queuedBytes;
    /** The simulcast layers (bit {@code 1 << layer}) whose delta frames may be queued: those past a keyframe since the last drop. */
    private int layersOpen;
    private final AtomicLong droppedVideo = new AtomicLong();
    private final AtomicLong droppedAudio = new AtomicLong();
    private final AtomicLong overflows = new AtomicLong();

    public SendQueue(long maxBytes, long maxAgeMicros, LocalClock clock, OverflowListener overflowListener) {
        if (maxBytes <= 0 || maxAgeMicros <= 0) {
            throw new IllegalArgumentException("send queue bounds must be > 0");
        }
        this.maxBytes = maxBytes;
        this.maxAgeMicros = maxAgeMicros;
        this.clock = clock;
        this.overflowListener = overflowListener;
    }

    /** Queues a control message ahead of all media. */
    public void offerControlFirst(byte[] bytes) {
        add(new Item(bytes, Kind.CONTROL, false, clock.nowMicros()), true);
    }

    /** Queues a control message after what is already queued (EndOfStream, configs). */
    public void offerControlLast(byte[] bytes) {
        add(new Item(bytes, Kind.CONTROL, false, clock.nowMicros()), false);
    }

    /** Queues a media packet, or drops it (counted). Returns whether it was queued. */
    public boolean offerMedia(byte[] bytes, boolean video, boolean keyframe) {
        return offerMedia(bytes, video, keyframe, 0);
    }

    /** As {@link #offerMedia(byte[], boolean, boolean)}, for a packet of one layer of a simulcast track (0: the top one, or none). */
    public boolean offerMedia(byte[] bytes, boolean video, boolean keyframe, int layer) {
        if (layer < 0 || layer >= Integer.SIZE) {
            throw new IllegalArgumentException("layer " + layer + " out of range");
        }
        int layerBit = 1 << layer;
        long now = clock.nowMicros();
        boolean notify = false;
        lock.lock();
        try {
            if (video) {
                if ((layersOpen & layerBit) == 0 && !keyframe) {
                    droppedVideo.incrementAndGet();
                    return false;
                }
                if (overBound(bytes.length, now)) {
                    dropQueuedVideo();
                    overflows.incrementAndGet();
                    notify = true;
                    // every layer's queued frames went: each waits for its own keyframe again
                    layersOpen = 0;
                    if (!keyframe || queuedBytes + bytes.length > maxBytes) {
                        droppedVideo.incrementAndGet();
                        return false;
                    }
                }
                layersOpen |= layerBit;
            } else if (queuedBytes + bytes.length > maxBytes) {
                // video goes first: the queued video makes room, and video waits for a keyframe
                if (dropQueuedVideo() > 0) {
                    layersOpen = 0;
                    overflows.incrementAndGet();
                    notify = true;
                }
                if (queuedBytes + bytes.length > maxBytes) {
                    droppedAudio.incrementAndGet();
                    return false;
                }
            }
            add(new Item(bytes, video ? Kind.VIDEO : Kind.AUDIO, keyframe, now), false);
            return true;
        } finally {
            lock.unlock();
            if (notify) {
                overflowListener.onVideoDropped();
            }
        }
    }

    private boolean overBound(int incoming, long now) {
        if (queuedBytes + incoming > maxBytes) {
            return true;
        }
        for (Item item : items) {
            if (item.kind() != Kind.CONTROL) {
                return now - item.enqueuedAtMicros() > maxAgeMicros;
            }
        }
        return false;
    }

    /** Drops every queued video packet; returns how many. */
    private int dropQueuedVideo() {
        int dropped = 0;
        Iterator<Item> it = items.iterator();
        while (it.hasNext()) {
            Item item = it.next();
            if (item.kind() == Kind.VIDEO) {
                it.remove();
                queuedBytes -= item.bytes().length;
                droppedVideo.incrementAndGet();
                dropped++;
            }
        }
        return dropped;
    }

    private void add(Item item, boolean first) {
        lock.lock();
        try {
            if (first) {
                items.addFirst(item);
            } else {
                items.addLast(item);
            }
            queuedBytes += item.bytes().length;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The next message, waiting up to the timeout; null if none. */
    public Item poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (items.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            Item item = items.removeFirst();
            queuedBytes -= item.bytes().length;
            return item;
        } finally {
            lock.unlock();
        }
    }

    /** Empties the queue for a new connection; video restarts at the next keyframe. */
    public void reset() {
        lock.lock();
        try {
            for (Item item : items) {
                if (item.kind() == Kind.VIDEO) {
                    droppedVideo.incrementAndGet();
                } else if (item.kind() == Kind.AUDIO) {
                    droppedAudio.incrementAndGet();
                }
            }
            items.clear();
            queuedBytes = 0;
            layersOpen = 0;
        } finally {
            lock.unlock();
        }
    }

    public long queuedBytes() {
        lock.lock();
        try {
            return queuedBytes;
        } finally {
            lock.unlock();
        }
    }

    /** How long the oldest queued media message has waited (0 when none): the send queue's delay, for the adaptive bitrate. */
    public long oldestMediaAgeMicros() {
        long now = clock.nowMicros();
        lock.lock();
        try {
            for (Item item : items) {
                if (item.kind() != Kind.CONTROL) {
                    return Math.max(0, now - item.enqueuedAtMicros());
                }
            }
            return 0;
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    public long droppedVideo() {
        return droppedVideo.get();
    }

    public long droppedAudio() {
        return droppedAudio.get();
    }

    public long overflows() {
        return overflows.get();
    }
}
