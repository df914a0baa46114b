package dev.tunnelcast.agent;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's view: on a terminal, one status line rewritten in place every second;
 * otherwise (a service, a pipe) a log line every {@code logInterval}.
 */
final class StatusReporter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("status");

    private final Agent agent;
    private final boolean tty;
    private final PrintStream out;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "status");
        t.setDaemon(true);
        return t;
    });
    private long lastFrames;

    StatusReporter(Agent agent, boolean tty, PrintStream out, long logIntervalSeconds) {
        this.agent = agent;
        this.tty = tty;
        this.out = out;
        long period = tty ? 1 : Math.max(1, logIntervalSeconds);
        timer.scheduleAtFixedRate(() -> report(period), period, period, TimeUnit.SECONDS);
    }

    private void report(long periodSeconds) {
        AgentStats s = agent.stats();
        double fps = (s.videoFramesCaptured() - lastFrames) / (double) periodSeconds;
        lastFrames = s.videoFramesCaptured();
        String line = format(s, fps);
        if (tty) {
            out.print("\r\033[K" + line);
            out.flush();
        } else {
            log.info(line);
        }
    }

    static String format(AgentStats s, double fps) {
        return String.format(Locale.ROOT, "%s | %6.0f kb/s | %4.1f fps | queue %4d kB | rtt %s | offset %s | drops v%d a%d | reconnects %d%s",
                s.connected() ? "live" : "OFFLINE", s.sendBitrateBps() / 1000.0, fps, s.queueBytes() / 1024,
                s.rttMicros() < 0 ? "  -  " : String.format(Locale.ROOT, "%5.1f ms", s.rttMicros() / 1000.0),
                String.format(Locale.ROOT, "%+.1f ms", s.clockOffsetMicros() / 1000.0), s.videoDropped(), s.audioDropped(),
                s.reconnects(), s.connected() || s.lastError().isEmpty() ? "" : " | " + s.lastError());
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (tty) {
            out.println();
        }
    }
}
