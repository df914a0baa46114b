package dev.tunnelcast.e2e;

/**
 * The player's end-to-end scenarios in real WebKit: Debian's WebKitGTK MiniBrowser through
 * WebKitWebDriver, on an Xvfb display of its own with compositing off, audio to a PulseAudio
 * null sink. Its audio clock is the AudioContext's {@code currentTime} (its output timestamps run
 * ahead of {@code performance.now()}). See {@link EnginePlayerE2E}.
 */
class WebKitPlayerE2ETest extends EnginePlayerE2E {

    WebKitPlayerE2ETest() {
        super(BrowserEngine.WEBKIT);
    }
}
