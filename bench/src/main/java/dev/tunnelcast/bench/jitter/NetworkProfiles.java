package dev.tunnelcast.bench.jitter;

import dev.tunnelcast.bench.impair.Jitter;
import dev.tunnelcast.bench.impair.LinkProfile;
import java.util.LinkedHashMap;
import java.util.Map;

/** The named network impairments the jitter sweep can put between relay and player. */
final class NetworkProfiles {

    static final Map<String, LinkProfile> ALL = new LinkedHashMap<>();

    static {
        ALL.put("clean", LinkProfile.clean());
        // 20 ± 10 ms one-way: 10 ms fixed plus uniform 0–20 ms.
        ALL.put("jitter20", LinkProfile.clean().withDelay(10, Jitter.uniform(10)));
        // 50 ms plus rare long bursts: Pareto (5 ms, α 1.8) per chunk read, capped at 400 ms;
        // about 0.4 % of chunks are held > 100 ms (and hold back every chunk behind them).
        ALL.put("tail50", LinkProfile.clean().withDelay(50, Jitter.heavyTail(5, 1.8, 400)));
        // A 1 s outage every 8 s (e.g. Wi-Fi roaming); the period matches the default window.
        ALL.put("stall", LinkProfile.clean().withStalls(1000, 8000));
        // A 4 Mbit/s bottleneck: the 2.5 Mbit/s stream fits, its keyframes queue behind each other.
        ALL.put("cap4", LinkProfile.clean().withCap(4_000_000));
    }

    private NetworkProfiles() {}

    static LinkProfile named(String name) {
        LinkProfile p = ALL.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown profile '" + name + "'; known: " + String.join(", ", ALL.keySet()));
        }
        return p;
    }
}
