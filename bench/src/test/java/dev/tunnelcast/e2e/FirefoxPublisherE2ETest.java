package dev.tunnelcast.e2e;

/**
 * The browser publisher's page in real Firefox (Debian's firefox-esr through puppeteer-core over
 * WebDriver BiDi, headless), its camera and microphone Firefox's fake devices. See {@link EnginePublisherE2E}.
 */
class FirefoxPublisherE2ETest extends EnginePublisherE2E {

    FirefoxPublisherE2ETest() {
        super(BrowserEngine.FIREFOX);
    }
}
