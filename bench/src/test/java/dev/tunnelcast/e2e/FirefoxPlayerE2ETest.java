package dev.tunnelcast.e2e;

/**
 * The player's end-to-end scenarios in real Firefox: Debian's firefox-esr through puppeteer-core
 * over WebDriver BiDi, headless, audio to a PulseAudio null sink of its own (without a sound
 * server Firefox keeps every AudioContext suspended). See {@link EnginePlayerE2E}.
 */
class FirefoxPlayerE2ETest extends EnginePlayerE2E {

    FirefoxPlayerE2ETest() {
        super(BrowserEngine.FIREFOX);
    }
}
