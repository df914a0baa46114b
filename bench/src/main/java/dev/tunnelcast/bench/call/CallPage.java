package dev.tunnelcast.bench.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunnelcast.bench.latency.ChromiumTab;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One participant's call page (web-player's {@code #/call/{room}}) in a browser tab: opened
 * from its link, joined with a real click on Join, read through {@code window.tunnelcast.stats}
 * (the page's CallStats, web-player/README.md "The call's figures"). Times the page reports
 * ({@code …AtMs}) are on the relay clock as the page estimates it.
 */
public final class CallPage {

    private final ChromiumTab tab;
    private final String participant;

    public CallPage(ChromiumTab tab, String participant) {
        this.tab = tab;
        this.participant = participant;
    }

    public ChromiumTab tab() {
        return tab;
    }

    public String participant() {
        return participant;
    }

    /**
     * The call link: {@code origin/?size=…&fps=…&participant=…&name=…&token=…#/call/room}
     * ({@code token} null: none, the page asks for one).
     */
    public static String link(String origin, String room, String participant, String token, String size, int fps) {
        return link(origin, room, participant, token, size, fps, "");
    }

    /** As {@link #link(String, String, String, String, String, int)}, with more of the page's options ({@code video=webcodecs}). */
    public static String link(String origin, String room, String participant, String token, String size, int fps, String extraQuery) {
        return origin + "/?size=" + size + "&fps=" + fps + "&participant=" + participant + "&name=" + encode(participant.toUpperCase())
                + (token == null ? "" : "&token=" + encode(token)) + (extraQuery.isEmpty() ? "" : "&" + extraQuery) + "#/call/" + room;
    }

    /** Opens the link and waits until the join screen lets the person join. */
    public CallPage open(String link, Duration timeout) {
        tab.open(link, timeout);
        tab.waitUntil("(() => { const b = document.querySelector('.tc-call-join-button'); return b !== null && !b.disabled; })()",
                timeout);
        return this;
    }

    /** Clicks Join (the user gesture that lets the call's audio play). */
    public void clickJoin() {
        tab.click(".tc-call-join-button");
    }

    /** Clicks Join and waits until the page is in the call. */
    public JsonNode join(Duration timeout) {
        clickJoin();
        return awaitState("in-call", timeout);
    }

    /** Waits until the call's state is {@code state}; returns the figures then. */
    public JsonNode awaitState(String state, Duration timeout) {
        return tab.waitUntil("(() => { const s = window.tunnelcast.stats; return s && s.state === '" + state + "' && s; })()", timeout);
    }

    /** Waits until {@code condition} (a JavaScript expression over {@code s}, the figures) holds; returns the figures then. */
    public JsonNode awaitFigures(String condition, Duration timeout) {
        return tab.waitUntil("(() => { const s = window.tunnelcast.stats; return s && (" + condition + ") && s; })()", timeout);
    }

    public JsonNode stats() {
        return tab.stats();
    }

    /**
     * The page's figures without their lists (stamps, beep times, captured stamps): its own
     * publisher's counters and each tile's, short enough to print for every page when a call
     * test fails, which is what tells a sender's fault from a receiver's.
     */
    public JsonNode summary() {
        return withoutLists(stats().deepCopy());
    }

    private static JsonNode withoutLists(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> lists = new ArrayList<>();
            object.fieldNames().forEachRemaining(name -> {
                if (object.get(name).isArray() && !name.equals("tiles")) {
                    lists.add(name);
                }
            });
            object.remove(lists);
            object.forEach(CallPage::withoutLists);
        } else if (node.isArray()) {
            node.forEach(CallPage::withoutLists);
        }
        return node;
    }

    /** The figures' tile of {@code other}, if the page shows one. */
    public static Optional<JsonNode> tile(JsonNode stats, String other) {
        for (JsonNode tile : stats.path("tiles")) {
            if (tile.path("participant").asText().equals(other)) {
                return Optional.of(tile);
            }
        }
        return Optional.empty();
    }

    /**
     * Waits until this page shows {@code joiner}'s tile; returns how long after the relay's
     * join time (the tile's {@code joinedMicros}) the page showed it, ms on the relay clock.
     */
    public double joinSeenAfterMs(String joiner, Duration timeout) {
        JsonNode t = tile(awaitFigures("s.tiles.some((t) => t.participant === '" + joiner + "')", timeout), joiner).orElseThrow();
        return t.path("shownSinceAtMs").asDouble() - t.path("joinedMicros").asDouble() / 1000;
    }

    /** A departure this page saw: its reason ("left", …) and how long after the leaver's click the tile went, ms. */
    public record Departure(String reason, double seenAfterMs) {}

    /** Waits until this page has removed {@code leaver}'s tile and noted its departure; {@code clickedAtMs} from {@link #leave}. */
    public Departure departureOf(String leaver, double clickedAtMs, Duration timeout) {
        JsonNode s = awaitFigures("!s.tiles.some((t) => t.participant === '" + leaver + "')"
                + " && s.departures.some((d) => d.participant === '" + leaver + "')", timeout);
        JsonNode latest = null;
        for (JsonNode d : s.path("departures")) {
            if (d.path("participant").asText().equals(leaver)) {
                latest = d;
            }
        }
        return new Departure(latest.path("reason").asText(), latest.path("atMs").asDouble() - clickedAtMs);
    }

    /**
     * Clicks Leave; returns when the click happened on this page's relay clock (a listener in the
     * page takes it as the button is clicked, before the page acts on it).
     */
    public double leave(Duration timeout) {
        double clickedAtMs = clickRecordingTime("[data-control=\"leave\"]");
        awaitState("left", timeout);
        return clickedAtMs;
    }

    /**
     * A real click on {@code selector}; returns when it reached the page, relay clock ms, as
     * the page's own clock estimate has it (window.tunnelcast.call.relayNowMs()).
     */
    public double clickRecordingTime(String selector) {
        tab.evaluate("(() => { const b = document.querySelector('" + selector.replace("'", "\\'") + "');"
                + " b.addEventListener('click', () => { window.__clickedAtMs = window.tunnelcast.call.relayNowMs(); },"
                + " { capture: true, once: true }); window.__clickedAtMs = null; return true; })()");
        tab.click(selector);
        return tab.waitUntil("window.__clickedAtMs", Duration.ofSeconds(30)).asDouble();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
