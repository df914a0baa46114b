package dev.tunnelcast.bench.abr;

import dev.tunnelcast.server.RelayConfig;
import dev.tunnelcast.server.relay.LayerSettings;
import java.util.Locale;

/**
 * The relay settings that shape what a capped player gets, as the running relay has them: its
 * layer settings, and where a slow player's backlog waits (the relay's queue, bounded by bytes
 * and age, then the socket's kernel send buffer, which Linux doubles).
 */
record RelaySettings(long downDelayMs, long upDelayMs, long probeAfterMs, long maxProbeAfterMs, long playerQueueBytes,
                     long playerQueueAgeMs, int playerSocketSendBufferBytes) {

    static RelaySettings of(RelayConfig config) {
        LayerSettings l = config.layers();
        return new RelaySettings(l.downDelay().toMillis(), l.upDelay().toMillis(), l.probeAfter().toMillis(),
                l.maxProbeAfter().toMillis(), config.playerQueueBytes(), config.playerQueueAge().toMillis(),
                config.playerSocketSendBuffer());
    }

    String describe() {
        return String.format(Locale.ROOT, "layer down delay %d ms, up delay %d ms, probe after %.0f s, probe max %.0f s; player "
                        + "queue %d KiB or %.1f s, player socket send buffer %d KiB (doubled by Linux; at 1 Mbit/s that much "
                        + "backlog is %.1f s the relay's queue does not see)", downDelayMs, upDelayMs, probeAfterMs / 1000.0,
                maxProbeAfterMs / 1000.0, playerQueueBytes / 1024, playerQueueAgeMs / 1000.0, playerSocketSendBufferBytes / 1024,
                2.0 * playerSocketSendBufferBytes * 8 / 1e6);
    }
}
