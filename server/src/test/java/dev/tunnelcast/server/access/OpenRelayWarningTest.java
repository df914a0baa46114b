package dev.tunnelcast.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tunnelcast.server.Relay;
import dev.tunnelcast.server.testing.TestRelays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * docs/protocol.md, HTTP access rules: without a token secret the relay is open and says so
 * at startup; with one but no way to scrape, it says that every scrape will be refused.
 */
class OpenRelayWarningTest {

    private final Logger relayLog = (Logger) LoggerFactory.getLogger(Relay.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Level levelBefore;

    @BeforeEach
    void captureTheLog() {
        levelBefore = relayLog.getLevel();
        relayLog.setLevel(Level.INFO); // whatever TUNNELCAST_TEST_LOG_LEVEL says
        logged.start();
        relayLog.addAppender(logged);
    }

    @AfterEach
    void restoreTheLog() {
        relayLog.detachAppender(logged);
        relayLog.setLevel(levelBefore);
    }

    @Test
    void withoutASecretTheRelaySaysItIsOpen() {
        Relay.start(TestRelays.config().build()).close();
        assertThat(warnings()).singleElement().asString()
                .startsWith("no token secret configured: anyone may publish, play and read the API and recordings");
    }

    @Test
    void withASecretButNoScrapeAccessItSaysScrapesAreRefused() {
        Relay.start(TestRelays.config().tokenSecret(StreamApiAccessTest.SECRET).build()).close();
        assertThat(warnings()).singleElement().asString().startsWith("/metrics refuses every scrape: tokens are on");
    }

    @Test
    void withASecretAndAScrapeTokenItWarnsOfNothing() {
        Relay.start(TestRelays.config().tokenSecret(StreamApiAccessTest.SECRET)
                .access(AccessConfig.defaults().withMetricsToken("scrape-token-0123456789")).build()).close();
        assertThat(warnings()).isEmpty();
    }

    private List<String> warnings() {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
