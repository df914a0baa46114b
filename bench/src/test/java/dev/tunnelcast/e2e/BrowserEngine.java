package dev.tunnelcast.e2e;

import dev.tunnelcast.bench.latency.ChromiumPlayer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A browser engine beside Chromium that the end-to-end scenarios run in ({@link EnginePlayerE2E}),
 * how it is started, and what of those scenarios it cannot show here, with the reason the test
 * prints: a null reason means the check runs.
 */
enum BrowserEngine {

    /** Firefox ESR 153's WebCodecs H.264 encoder holds 42-46 frames before its first output, whatever latencyMode says. */
    FIREFOX("Firefox", null, true),
    WEBKIT("WebKit",
            "WebKitGTK 2.50 under Xvfb shows no MSE frame with compositing off (the mode in which its WebCodecs path keeps up"
                    + " on 2 cores; with compositing on its web process starves), so on ?video=mse the player never leaves 'starting'"
                    + " (without ?video= it switches to WebCodecs)", false);

    private final String displayName;
    private final String mseVideoUnchecked;
    private final boolean h264EncoderHoldsFrames;

    BrowserEngine(String displayName, String mseVideoUnchecked, boolean h264EncoderHoldsFrames) {
        this.displayName = displayName;
        this.mseVideoUnchecked = mseVideoUnchecked;
        this.h264EncoderHoldsFrames = h264EncoderHoldsFrames;
    }

    /**
     * Whether the engine's WebCodecs H.264 encoder holds frames back (a lookahead), so a low-delay publisher takes VP8
     * (WebKitGTK 2.50's gives them back one frame behind: taken).
     */
    boolean h264EncoderHoldsFrames() {
        return h264EncoderHoldsFrames;
    }

    String displayName() {
        return displayName;
    }

    /** Why the MSE path's video (frames, stamps, lip sync) is not checked in this engine, or null. */
    String mseVideoUnchecked() {
        return mseVideoUnchecked;
    }

    /** As {@link #launch}, with the engine's own fake camera and microphone (the publish page's tests). */
    ChromiumPlayer launchWithFakeDevices(Path webPlayerDir, Path logFile) throws IOException {
        return ChromiumPlayer.launchWithFakeDevices(name().toLowerCase(java.util.Locale.ROOT), webPlayerDir, logFile);
    }

    /** Starts the engine behind the driver's commands; its logs go to {@code logFile}. */
    ChromiumPlayer launch(Path webPlayerDir, Path logFile) throws IOException {
        return ChromiumPlayer.launch(name().toLowerCase(java.util.Locale.ROOT), webPlayerDir, logFile);
    }
}
