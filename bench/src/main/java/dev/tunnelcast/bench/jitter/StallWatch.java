package dev.tunnelcast.bench.jitter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunnelcast.bench.latency.ChromiumPlayer;

/**
 * Counts video stalls in the page: an episode in which the player's {@code framesShown}
 * does not advance for more than {@link #THRESHOLD_MS} (polled every 20 ms; at 30 fps that
 * is six frames missing). The player itself counts no stalls, so the page is watched from
 * outside, by a timer the benchmark installs.
 */
final class StallWatch {

    static final int THRESHOLD_MS = 200;

    /** Figures since the last {@link #reset}: episodes, total frozen time and the longest (an ongoing one included). */
    record Stalls(int count, double frozenMs, double longestMs) {}

    private static final String INSTALL_AND_RESET = """
            (() => {
              if (!window.__stallWatch) {
                const m = { count: 0, frozenMs: 0, longestMs: 0, frames: -1, changedAt: performance.now(), frozen: false };
                window.__stallWatch = m;
                setInterval(() => {
                  const s = window.tunnelcast && window.tunnelcast.stats;
                  if (!s) return;
                  const now = performance.now();
                  if (s.framesShown !== m.frames) {
                    if (m.frozen) {
                      const d = now - m.changedAt;
                      m.frozenMs += d;
                      m.longestMs = Math.max(m.longestMs, d);
                      m.frozen = false;
                    }
                    m.frames = s.framesShown;
                    m.changedAt = now;
                  } else if (!m.frozen && now - m.changedAt > %d) {
                    m.frozen = true;
                    m.count++;
                  }
                }, 20);
              }
              const m = window.__stallWatch;
              m.count = m.frozen ? 1 : 0;
              m.frozenMs = 0;
              m.longestMs = 0;
              if (m.frozen) m.changedAt = performance.now();
              return true;
            })()""".formatted(THRESHOLD_MS);

    private static final String READ = """
            (() => {
              const m = window.__stallWatch;
              const ongoing = m.frozen ? performance.now() - m.changedAt : 0;
              return { count: m.count, frozenMs: m.frozenMs + ongoing, longestMs: Math.max(m.longestMs, ongoing) };
            })()""";

    private StallWatch() {}

    /** Starts watching the open page (once per page) and zeroes the figures. */
    static void reset(ChromiumPlayer browser) {
        browser.evaluate(INSTALL_AND_RESET);
    }

    static Stalls read(ChromiumPlayer browser) {
        JsonNode m = browser.evaluate(READ);
        return new Stalls(m.path("count").asInt(), m.path("frozenMs").asDouble(), m.path("longestMs").asDouble());
    }
}
