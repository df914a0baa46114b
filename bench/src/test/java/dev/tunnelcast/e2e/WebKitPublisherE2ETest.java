package dev.tunnelcast.e2e;

/**
 * The browser publisher's page in real WebKit (Debian's WebKitGTK MiniBrowser through
 * WebKitWebDriver, on an Xvfb display of its own with compositing off), its camera and microphone
 * WebKit's mock capture devices. See {@link EnginePublisherE2E}.
 */
class WebKitPublisherE2ETest extends EnginePublisherE2E {

    WebKitPublisherE2ETest() {
        super(BrowserEngine.WEBKIT);
    }
}
