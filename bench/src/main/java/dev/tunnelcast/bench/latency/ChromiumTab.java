package dev.tunnelcast.bench.latency;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One tab of a {@link ChromiumPlayer}'s browser, by name: pages of one browser share its
 * profile, devices and processes, as a person's tabs do (a call's second tab of the same
 * participant). Commands go through the browser's driver, one at a time, with deadlines
 * for a busy machine (a page starved of CPU takes seconds to take a click).
 */
public final class ChromiumTab {

    /** A starved page (load average 50 on 2 cores) has taken more than 30 s to answer an evaluate. */
    private static final Duration COMMAND = Duration.ofSeconds(120);
    private static final Duration CLICK = Duration.ofSeconds(30);

    private final ChromiumPlayer browser;
    private final String name;

    ChromiumTab(ChromiumPlayer browser, String name) {
        this.browser = browser;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public ChromiumPlayer browser() {
        return browser;
    }

    /** Opens {@code url} in this tab, anew if it had a page. */
    public void open(String url) {
        open(url, Duration.ofSeconds(30));
    }

    /** Opens {@code url} in this tab, anew if it had a page; the page may take {@code timeout} to load. */
    public void open(String url, Duration timeout) {
        call("open", Map.of("url", url, "timeoutMs", timeout.toMillis()), timeout.plusSeconds(10));
    }

    /** Polls a JavaScript expression in the page until it is truthy; returns its value. */
    public JsonNode waitUntil(String expression, Duration timeout) {
        return call("waitUntil", Map.of("expression", expression, "timeoutMs", timeout.toMillis()), timeout.plusSeconds(10))
                .path("value");
    }

    /** The value of a JavaScript expression in the page (JSON-serializable). */
    public JsonNode evaluate(String expression) {
        return call("eval", Map.of("expression", expression), COMMAND).path("value");
    }

    /** {@code window.tunnelcast.stats}, non-finite numbers as null. */
    public JsonNode stats() {
        return call("stats", Map.of(), COMMAND).path("stats");
    }

    /** A real click on the first element matching {@code selector} (a user gesture). */
    public void click(String selector) {
        call("click", Map.of("selector", selector, "timeoutMs", CLICK.toMillis()), CLICK.plusSeconds(10));
    }

    public String text(String selector) {
        return call("text", Map.of("selector", selector), COMMAND).path("text").asText();
    }

    public boolean visible(String selector) {
        return call("visible", Map.of("selector", selector), COMMAND).path("visible").asBoolean();
    }

    public void screenshot(Path file) {
        call("screenshot", Map.of("path", file.toAbsolutePath().toString()), COMMAND);
    }

    /** The page's last console lines (diagnostics). */
    public JsonNode console() {
        return call("console", Map.of(), COMMAND).path("lines");
    }

    /** Closes the tab: its page goes, and its sockets with it. */
    public void close() {
        call("closeTab", Map.of(), COMMAND);
    }

    private JsonNode call(String cmd, Map<String, ?> args, Duration timeout) {
        Map<String, Object> withTab = new HashMap<>(args);
        withTab.put("tab", name);
        return browser.call(cmd, withTab, timeout);
    }
}
