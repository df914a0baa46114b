package dev.tunnelcast.agent;

import dev.tunnelcast.agent.clock.ClockOffsetEstimator;
import dev.tunnelcast.agent.clock.LocalClock;
import dev.tunnelcast.agent.publish.FatalPublishException;
import dev.tunnelcast.agent.publish.Publisher;
import dev.tunnelcast.agent.publish.PublisherConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture agent, embeddable: capture → encode → publish, from an {@link AgentConfig}.
 * {@link #start()} opens everything (a bad device fails here with a clear message) and
 * returns; the agent then runs on its own threads until {@link #close()}, which sends
 * EndOfStream. {@link #failure()} completes if the agent stops on its own (a source died,
 * the relay refused us for good).
 */
public final class Agent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    private static final long OFFSET_WINDOW_MICROS = 20_000_000;
    /** How often the adaptive bitrate looks at the uplink, and how often it pings then (a Ping's delay is a signal). */
    private static final long ADAPTIVE_SAMPLE_MILLIS = 100;
    private static final Duration ADAPTIVE_PING_INTERVAL = Duration.ofMillis(200);
    /** The envelope and MediaPacket fields around each packet, ~80 a second: the rest of the uplink besides Opus. */
    private static final int FRAMING_BPS = 20_000;

    private final AgentConfig config;
    private final LocalClock clock;
    private final ClockOffsetEstimator offset = new ClockOffsetEstimator(OFFSET_WINDOW_MICROS);
    private final Publisher publisher;
    private final CapturePipeline pipeline;
    private final UplinkRateEstimator adaptive;
    private final CompletableFuture<Exception> failure = new CompletableFuture<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agent-ticker");
        t.setDaemon(true);
        return t;
    });
    private volatile long sendBitrateBps;
    private long lastBytes;
    private long lastTickMicros;
    private volatile boolean closed;

    public Agent(AgentConfig config) {
        this(config, LocalClock.system());
    }

    public Agent(AgentConfig config, LocalClock clock) {
        this.config = config;
        this.clock = clock;
        int target = config.videoEncoder().bitrateBps();
        this.adaptive = config.adaptive() && config.videoEncoder().crf() <= 0
                ? new UplinkRateEstimator(target, target, Math.max(100_000, target / 8),
                        (config.audio() != null || config.input() != null ? config.opus().bitrateBps() : 0) + FRAMING_BPS)
                : null;
        PublisherConfig publishing = config.publisher();
        if (adaptive != null && publishing.pingInterval().compareTo(ADAPTIVE_PING_INTERVAL) > 0) {
            publishing = publishing.withPingInterval(ADAPTIVE_PING_INTERVAL);
        }
        this.publisher = new Publisher(publishing, clock, offset, new Publisher.Listener() {
            @Override
            public void onKeyframeNeeded(String why) {
                log.debug("keyframe: {}", why);
                pipeline().requestKeyframe();
            }

            @Override
            public void onVideoDropped() {
                pipeline().requestKeyframe();
                if (adaptive != null) {
                    applyBitrate(adaptive.onOverflow(clock.nowMicros()));
                }
            }

            @Override
            public void onFatal(FatalPublishException error) {
                failure.complete(error);
            }
        });
        this.pipeline = new CapturePipeline(config, clock, offset, publisher, e -> {
            log.error("{}", e.getMessage());
            failure.complete(e);
        });
    }

    private CapturePipeline pipeline() {
        return pipeline;
    }

    /** Hands the estimator's bitrate to the encoder when it changed (at most once a second: the estimator's rule). */
    private synchronized void applyBitrate(int bps) {
        int before = pipeline.videoBitrateBps();
        if (bps == before) {
            return;
        }
        if (bps < before) {
            double uplink = adaptive.capacityBps();
            log.info("Adaptive: video bitrate down to {} kb/s{}", bps / 1000,
                    Double.isNaN(uplink) ? "" : " (the uplink carried " + Math.round(uplink / 1000) + " kb/s)");
        } else {
            log.debug("Adaptive: video bitrate up to {} kb/s", bps / 1000);
        }
        pipeline.setVideoBitrate(bps);
    }

    private void sampleUplink() {
        applyBitrate(adaptive.onSample(clock.nowMicros(), publisher.bytesSent(), publisher.sendQueueDelayMicros(),
                publisher.networkDelayMicros(), publisher.lastReceipt()));
    }

    public Agent start() {
        publisher.start();
        try {
            pipeline.start();
        } catch (RuntimeException e) {
            publisher.close();
            ticker.shutdownNow();
            throw e;
        }
        lastTickMicros = clock.nowMicros();
        ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        if (adaptive != null) {
            ticker.scheduleAtFixedRate(this::sampleUplink, ADAPTIVE_SAMPLE_MILLIS, ADAPTIVE_SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void tick() {
        long now = clock.nowMicros();
        long bytes = publisher.bytesSent();
        long elapsed = Math.max(1, now - lastTickMicros);
        sendBitrateBps = (bytes - lastBytes) * 8 * 1_000_000 / elapsed;
        lastBytes = bytes;
        lastTickMicros = now;
    }

    public AgentStats stats() {
        return new AgentStats(publisher.connected(), pipeline.videoFramesCaptured(), publisher.videoPacketsSent(),
                publisher.audioPacketsSent(), publisher.bytesSent(), sendBitrateBps, pipeline.videoBitrateBps(),
                publisher.queuedBytes(), publisher.queuedMessages(), offset.lastRttMicros(), offset.offsetMicros(),
                publisher.videoDropped(), publisher.audioDropped(), publisher.reconnects(), publisher.lastError(),
                pipeline.videoFramesBeforeClock(), pipeline.audioChunksBeforeClock());
    }

    /**
     * Video capture → encoded (the frame's capture time to its packet leaving the encoder, on
     * the relay clock): the stamp, the encoder's queue and the encoding.
     */
    public StageTime videoCaptureToEncoded() {
        return pipeline.videoCaptureToEncoded();
    }

    /** Completes with the reason if the agent stopped on its own. */
    public CompletableFuture<Exception> failure() {
        return failure;
    }

    public AgentConfig config() {
        return config;
    }

    /** Stops capture, sends EndOfStream after what is queued and closes the connection. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ticker.shutdownNow();
        pipeline.close();
        publisher.close();
        AgentStats s = stats();
        log.info("Stopped: {} video and {} audio packets sent, {} + {} dropped, {} reconnects; {} video frames and {}"
                + " audio chunks captured before the first clock estimate, not sent", s.videoPacketsSent(),
                s.audioPacketsSent(), s.videoDropped(), s.audioDropped(), s.reconnects(), s.videoFramesBeforeClock(),
                s.audioChunksBeforeClock());
    }
}
