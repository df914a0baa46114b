package dev.tunnelcast.server.relay;

import dev.tunnelcast.server.clock.RelayClock;
import dev.tunnelcast.server.metrics.RelayMetrics;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every stream shares: the policy, the clock, the meters, the observers and the one
 * housekeeping scheduler (grace timers, periodic checks).
 */
public record RelayContext(RelayPolicy policy, RelayClock clock, RelayMetrics metrics,
                           CopyOnWriteArrayList<StreamObserver> observers,
                           ScheduledExecutorService scheduler) {
}
