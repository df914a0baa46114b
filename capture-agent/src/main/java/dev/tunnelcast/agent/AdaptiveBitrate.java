package dev.tunnelcast.agent;

import java.util.function.IntConsumer;

/**
 * {@code --adaptive}: lowers the video bitrate by 30 % when the send queue had to drop
 * video (at most once a second), and raises it by 10 % after every 5 s without drops, up
 * to the configured target, never below {@code floorBps}. Time is passed in, for tests.
 */
public final class AdaptiveBitrate {

    private static final long DECREASE_HOLD_MICROS = 1_000_000;
    private static final long INCREASE_AFTER_MICROS = 5_000_000;

    private final int targetBps;
    private final int floorBps;
    private final IntConsumer apply;
    private int currentBps;
    private long lastChangeMicros;

    public AdaptiveBitrate(int targetBps, int floorBps, IntConsumer apply) {
        this.targetBps = targetBps;
        this.floorBps = Math.min(floorBps, targetBps);
        this.apply = apply;
        this.currentBps = targetBps;
    }

    public synchronized void onCongestion(long nowMicros) {
        if (nowMicros - lastChangeMicros < DECREASE_HOLD_MICROS && currentBps != targetBps) {
            return;
        }
        set(Math.max(floorBps, (int) (currentBps * 0.7)), nowMicros);
    }

    /** Called periodically; raises the bitrate when the uplink has kept up for a while. */
    public synchronized void onTick(long nowMicros) {
        if (currentBps < targetBps && nowMicros - lastChangeMicros >= INCREASE_AFTER_MICROS) {
            set(Math.min(targetBps, (int) (currentBps * 1.1) + 1), nowMicros);
        }
    }

    private void set(int bps, long nowMicros) {
        lastChangeMicros = nowMicros;
        if (bps != currentBps) {
            currentBps = bps;
            apply.accept(bps);
        }
    }

    public synchronized int currentBps() {
        return currentBps;
    }
}
