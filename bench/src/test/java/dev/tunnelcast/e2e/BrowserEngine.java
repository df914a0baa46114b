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

    FIREFOX("Firefox", null, noNativeHls("Firefox ESR")),
    WEBKIT("WebKit",
            "WebKitGTK 2.50 under Xvfb shows no MSE frame with compositing off (the mode in which its WebCodecs path keeps up"
                    + " on 2 cores; with compositing on its web process starves), so the player never leaves 'starting'",
            noNativeHls("WebKitGTK 2.50"));

    private final String displayName;
    private final String mseVideoUnchecked;
    private final String archivePlaybackUnchecked;

    BrowserEngine(String displayName, String mseVideoUnchecked, String archivePlaybackUnchecked) {
        this.displayName = displayName;
        this.mseVideoUnchecked = mseVideoUnchecked;
        this.archivePlaybackUnchecked = archivePlaybackUnchecked;
    }

    private static String noNativeHls(String browser) {
        return browser + " has no native HLS (canPlayType('application/vnd.apple.mpegurl') is empty) and the archive view"
                + " plays recordings through native HLS only";
    }

    String displayName() {
        return displayName;
    }

    /** Why the MSE path's video (frames, stamps, lip sync) is not checked in this engine, or null. */
    String mseVideoUnchecked() {
        return mseVideoUnchecked;
    }

    /** Why the archive view's playback is not checked in this engine, or null. */
    String archivePlaybackUnchecked() {
        return archivePlaybackUnchecked;
    }

    /** Starts the engine behind the driver's commands; its logs go to {@code logFile}. */
    ChromiumPlayer launch(Path webPlayerDir, Path logFile) throws IOException {
        return switch (this) {
            case FIREFOX -> ChromiumPlayer.launchFirefox(webPlayerDir, logFile);
            case WEBKIT -> ChromiumPlayer.launchWebKit(webPlayerDir, logFile);
        };
    }
}
