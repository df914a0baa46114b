package dev.tunnelcast.bench.abr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunnelcast.bench.latency.ChromiumTab;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches one player page second by second, from inside the page: a timer (every 20 ms, as
 * {@code jitter.StallWatch}) counts the time {@code framesShown} stands still for more than
 * {@link #STALL_MS} (the whole episode, threshold included), and the player's pixel-latency
 * window is tapped so that every value it takes is also kept for the benchmark. Each
 * {@link #read} returns what happened since the previous one, with the player's cumulative
 * counters as they are now.
 */
final class PageWatch {

    static final int STALL_MS = 200;

    /**
     * What the page reported at one read: since the previous read, the stalled time (ms), stall
     * episodes begun, the pixel latencies taken and the watch's timer ticks (≈ 50 a second unless
     * the page is throttled or starved); and the player's state and cumulative counters now.
     */
    record Sample(double stalledMs, int stallsBegun, List<Double> latenciesMs, int ticks, String state, String videoLayer,
                  long framesShown, long layerSwitches, long decodeErrors, long reconnects, long relayDrops,
                  double clockOffsetMs) {}

    private static final String INSTALL = """
            (() => {
              if (window.__abrWatch) return true;
              const m = { frames: -1, changedAt: performance.now(), lastTick: performance.now(), frozen: false,
                          stalledMs: 0, stalls: 0, latencies: [], ticks: 0, hooked: null };
              window.__abrWatch = m;
              setInterval(() => {
                const g = window.tunnelcast;
                const p = g && g.player;
                if (p && m.hooked !== p && p.latencyPixel) {
                  const recent = p.latencyPixel;
                  const add = recent.add.bind(recent);
                  recent.add = (v) => { m.latencies.push(v); return add(v); };
                  m.hooked = p;
                }
                const s = g && g.stats;
                const now = performance.now();
                m.ticks++;
                if (s) {
                  if (s.framesShown !== m.frames) {
                    if (m.frozen) m.stalledMs += now - m.lastTick;
                    m.frozen = false;
                    m.frames = s.framesShown;
                    m.changedAt = now;
                  } else if (m.frozen) {
                    m.stalledMs += now - m.lastTick;
                  } else if (now - m.changedAt > %d) {
                    m.frozen = true;
                    m.stalls++;
                    m.stalledMs += now - m.changedAt;
                  }
                }
                m.lastTick = now;
              }, 20);
              return true;
            })()""".formatted(STALL_MS);

    private static final String READ = """
            (() => {
              const m = window.__abrWatch;
              const s = (window.tunnelcast && window.tunnelcast.stats) || {};
              const n = (v) => (Number.isFinite(v) ? v : null);
              const out = { stalledMs: m.stalledMs, stalls: m.stalls, latencies: m.latencies, ticks: m.ticks,
                state: s.state || '', videoLayer: s.videoLayer || '', framesShown: n(s.framesShown),
                layerSwitches: n(s.videoLayerSwitches), decodeErrors: n(s.videoDecodeErrors), reconnects: n(s.reconnects),
                relayDrops: n(s.relayDrops), clockOffsetMs: n(s.clockOffsetMs) };
              m.stalledMs = 0;
              m.stalls = 0;
              m.latencies = [];
              m.ticks = 0;
              return out;
            })()""";

    private final ChromiumTab tab;

    private PageWatch(ChromiumTab tab) {
        this.tab = tab;
    }

    /** Starts watching the tab's open page (its player may come later: the tap is put on when it does). */
    static PageWatch install(ChromiumTab tab) {
        tab.evaluate(INSTALL);
        return new PageWatch(tab);
    }

    Sample read() {
        JsonNode m = tab.evaluate(READ);
        List<Double> latencies = new ArrayList<>();
        m.path("latencies").forEach(v -> {
            if (v.isNumber()) {
                latencies.add(v.asDouble());
            }
        });
        return new Sample(m.path("stalledMs").asDouble(), m.path("stalls").asInt(), latencies, m.path("ticks").asInt(),
                m.path("state").asText(), m.path("videoLayer").asText(), m.path("framesShown").asLong(),
                m.path("layerSwitches").asLong(), m.path("decodeErrors").asLong(), m.path("reconnects").asLong(),
                m.path("relayDrops").asLong(), number(m.path("clockOffsetMs")));
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }
}
