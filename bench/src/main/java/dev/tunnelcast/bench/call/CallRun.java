package dev.tunnelcast.bench.call;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunnelcast.bench.call.CallLatency.Beeps;
import dev.tunnelcast.bench.latency.ChromiumPlayer;
import dev.tunnelcast.bench.latency.ForeignCpu;
import dev.tunnelcast.bench.harness.MachineInfo;
import dev.tunnelcast.server.clock.RelayClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One measured call: every participant's page (a tab of its own browser, or of one shared
 * browser) opens the call link and joins; once every page shows and hears every other, a warm-up, then {@code seconds} of
 * polling every page once a second; then one participant leaves and joins again (how soon
 * the others see each), and everyone leaves. The result has one entry per
 * direction (publisher → viewer: glass-to-glass from the stamps, mouth-to-ear from the
 * beeps, the A/V offset, and where the time went as far as the figures say) and one per
 * page (the CPU its browser's renderer processes took).
 */
final class CallRun {

    /** What a page is asked each second: its call figures and some of each player's own (`window.tunnelcast.call`). */
    static final String POLL = "(() => { const c = window.tunnelcast.call; const players = {};"
            + " if (c) for (const [p, r] of c.remotes) { const s = r.player.stats; players[p] = { "
            + String.join(", ", CallSamples.PLAYER_FIGURES.stream().map(f -> f + ": s." + f).toList()) + " }; }"
            + " return JSON.parse(JSON.stringify({ s: window.tunnelcast.stats, players },"
            + " (k, v) => typeof v === 'number' && !Number.isFinite(v) ? null : v)); })()";
    private static final Duration JOIN_DEADLINE = Duration.ofSeconds(120);
    private static final int VIDEO_TRACK = 1;
    private static final int AUDIO_TRACK = 2;

    private CallRun() {}

    /**
     * @param links the call link of each participant (by participant id)
     * @param browsers each participant's browser (the same one for all when they share it)
     */
    static Map<String, Object> measure(Map<String, String> links, Map<String, ChromiumPlayer> browsers, RelayClock relayClock,
                                       RelayArrivals arrivals, String room, int seconds, Duration warmUp) throws InterruptedException {
        List<String> participants = List.copyOf(links.keySet());
        Map<String, CallPage> pages = new LinkedHashMap<>();
        for (String p : participants) {
            CallPage page = new CallPage(browsers.get(p).tab(p), p);
            page.open(links.get(p), JOIN_DEADLINE);
            page.join(JOIN_DEADLINE);
            pages.put(p, page);
        }
        for (String p : participants) {
            pages.get(p).awaitFigures("s.tiles.length === " + (participants.size() - 1)
                    + " && s.tiles.every((t) => t.playerState === 'playing' && t.framesShown > 0 && t.beeps > 0)", JOIN_DEADLINE);
        }
        Thread.sleep(warmUp.toMillis());

        CallSamples samples = new CallSamples();
        Map<String, double[]> cpuBefore = cpu(browsers, participants);
        ForeignCpu foreign = ForeignCpu.start();
        long startNanos = System.nanoTime();
        double fromMs = relayClock.nowMicros() / 1000.0;
        for (int second = 0; second < seconds; second++) {
            long next = startNanos + (second + 1) * 1_000_000_000L;
            for (String p : participants) {
                samples.add(p, pages.get(p).tab().evaluate(POLL));
            }
            Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
        }
        double toMs = relayClock.nowMicros() / 1000.0;
        double wallSeconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, double[]> cpuAfter = cpu(browsers, participants);
        double foreignCores = foreign.coresUsed();
        for (String p : participants) {
            samples.add(p, pages.get(p).tab().evaluate(POLL)); // the stamps and beeps of the last second
        }
        Map<String, Object> presence = leaveAndRejoin(pages, links, participants.get(participants.size() - 1));
        for (String p : participants) {
            pages.get(p).leave(JOIN_DEADLINE);
        }
        // With one browser for all, its renderers' CPU is shared out: per page, the average.
        boolean shared = browsers.values().stream().distinct().count() < participants.size();
        double sharedBy = shared ? participants.size() : 1;

        List<Map<String, Object>> directions = new ArrayList<>();
        for (String from : participants) {
            for (String to : participants) {
                if (!from.equals(to)) {
                    directions.add(direction(samples, arrivals, room, from, to, fromMs, toMs, wallSeconds));
                }
            }
        }
        List<Map<String, Object>> pageResults = new ArrayList<>();
        for (String p : participants) {
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("participant", p);
            page.put("rendererCores", round((cpuAfter.get(p)[0] - cpuBefore.get(p)[0]) / wallSeconds / sharedBy, 3));
            page.put("browserCores", round((cpuAfter.get(p)[1] - cpuBefore.get(p)[1]) / wallSeconds / sharedBy, 3));
            JsonNode publisher = samples.lastPublisher(p);
            if (publisher != null) {
                page.put("videoCodec", publisher.path("videoCodec").asText());
                page.put("videoEncoder", publisher.path("videoEncoder").asText());
                page.put("videoBitrateBps", publisher.path("videoBitrateBps").asDouble());
                page.put("encoderDrops", publisher.path("encoderDrops").asDouble());
            }
            pageResults.add(page);
        }
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("room", room);
        run.put("sharedBrowser", shared);
        run.put("measuredSeconds", round(wallSeconds, 1));
        run.put("otherProcessesCores", round(foreignCores, 2));
        run.put("loadAverageAfter", MachineInfo.loadAverage());
        run.put("presence", presence);
        run.put("directions", directions);
        run.put("pages", pageResults);
        return run;
    }

    private static Map<String, Object> direction(CallSamples samples, RelayArrivals arrivals, String room, String from, String to,
                                                 double fromMs, double toMs, double seconds) {
        double[] g2g = samples.glassToGlass(from, to, fromMs, toMs);
        Beeps m2e = samples.mouthToEar(from, to, fromMs, toMs);
        String stream = room + "." + from;
        double g2gP50 = CallLatency.percentile(g2g, 0.5);
        double m2eP50 = CallLatency.percentile(m2e.delaysMs(), 0.5);
        Function<String, Double> tile = figure -> round(samples.tileMedian(from, to, figure), 1);

        Map<String, Object> d = new LinkedHashMap<>();
        d.put("from", from);
        d.put("to", to);
        d.put("glassToGlassMs", percentiles(g2g));
        Map<String, Object> ear = percentiles(m2e.delaysMs());
        ear.put("heard", m2e.heard());
        ear.put("unmatched", m2e.unmatched());
        d.put("mouthToEarMs", ear);
        // Positive: the picture comes later than the sound captured with it.
        d.put("avOffsetMs", round(g2gP50 - m2eP50, 1));
        d.put("playerAvOffsetMs", tile.apply("avOffsetMs"));
        d.put("framesShownPerSecond", tile.apply("fps"));
        d.put("latencyMetadataMs", tile.apply("latencyMs"));

        // Where the time goes, as medians (a difference of medians is not the median of differences: an estimate).
        double videoToRelay = CallLatency.percentile(arrivals.sinceCaptureMs(stream, VIDEO_TRACK, fromMs, toMs), 0.5);
        double audioToRelay = CallLatency.percentile(arrivals.sinceCaptureMs(stream, AUDIO_TRACK, fromMs, toMs), 0.5);
        double videoEncoded = samples.publisherMedian(from, "videoCaptureToPacketMs");
        double audioEncoded = samples.publisherMedian(from, "audioCaptureToPacketMs");
        double jitterBuffer = samples.tileMedian(from, to, "jitterBufferMs");
        double output = samples.tileMedian(from, to, "audioOutputLatencyMs");
        Map<String, Object> video = new LinkedHashMap<>();
        video.put("captureToEncodedMs", round(videoEncoded, 1));
        video.put("encodedToRelayMs", round(videoToRelay - videoEncoded, 1));
        video.put("relayToShownMs", round(g2gP50 - videoToRelay, 1));
        video.put("videoBufferMs", tile.apply("videoBufferMs"));
        video.put("syncFloorMs", tile.apply("syncFloorMs"));
        Map<String, Object> audio = new LinkedHashMap<>();
        audio.put("captureToEncodedMs", round(audioEncoded, 1));
        audio.put("encodedToRelayMs", round(audioToRelay - audioEncoded, 1));
        audio.put("relayToHeardMs", round(m2eP50 - audioToRelay, 1));
        audio.put("jitterBufferMs", round(jitterBuffer, 1));
        audio.put("jitterBufferTargetMs", tile.apply("jitterBufferTargetMs"));
        audio.put("outputDeviceMs", round(output, 1));
        audio.put("restMs", round(m2eP50 - audioToRelay - jitterBuffer - output, 1));
        double played = samples.tileIncrease(from, to, "audioPlayedMs");
        audio.put("concealedPercent", round(100 * samples.tileIncrease(from, to, "audioConcealedMs") / played, 2));
        d.put("video", video);
        d.put("audio", audio);
        d.put("framesDropped", samples.tileIncrease(from, to, "framesDropped"));
        System.out.printf(Locale.ROOT, "  %s→%s glass-to-glass p50 %.0f p95 %.0f ms (%d) | mouth-to-ear p50 %.0f ms (%d of %d beeps)"
                        + " | A/V %+.0f ms | %.0f fps%n", from, to, g2gP50, CallLatency.percentile(g2g, 0.95), g2g.length, m2eP50,
                m2e.delaysMs().length, m2e.heard(), g2gP50 - m2eP50, samples.tileMedian(from, to, "fps"));
        return d;
    }

    /**
     * After the measurement, {@code mover} leaves and joins again (its page opened anew, as a
     * person rejoins): how long each other page took to show the leave (from the click) and the
     * join (from the relay's join time), ms. The figure: within 1 s.
     */
    private static Map<String, Object> leaveAndRejoin(Map<String, CallPage> pages, Map<String, String> links, String mover) {
        List<Double> leaveSeen = new ArrayList<>();
        List<Double> joinSeen = new ArrayList<>();
        List<String> others = pages.keySet().stream().filter(p -> !p.equals(mover)).toList();
        double clickedAtMs = pages.get(mover).leave(JOIN_DEADLINE);
        for (String other : others) {
            CallPage.Departure departure = pages.get(other).departureOf(mover, clickedAtMs, JOIN_DEADLINE);
            if (!departure.reason().equals("left")) {
                throw new IllegalStateException(other + " saw " + mover + " go with reason " + departure.reason() + ", not left");
            }
            leaveSeen.add(round(departure.seenAfterMs(), 1));
        }
        pages.get(mover).open(links.get(mover), JOIN_DEADLINE);
        pages.get(mover).join(JOIN_DEADLINE);
        for (String other : others) {
            joinSeen.add(round(pages.get(other).joinSeenAfterMs(mover, JOIN_DEADLINE), 1));
        }
        System.out.printf(Locale.ROOT, "  %s left: seen after %s ms; joined again: seen after %s ms%n", mover, leaveSeen, joinSeen);
        Map<String, Object> presence = new LinkedHashMap<>();
        presence.put("participant", mover);
        presence.put("leaveSeenMs", leaveSeen);
        presence.put("joinSeenMs", joinSeen);
        return presence;
    }

    /** Renderer and whole-browser CPU seconds of each participant's browser. */
    private static Map<String, double[]> cpu(Map<String, ChromiumPlayer> browsers, List<String> participants) {
        Map<String, double[]> cpu = new LinkedHashMap<>();
        for (String p : participants) {
            cpu.put(p, new double[] {browsers.get(p).rendererCpuSeconds(), browsers.get(p).browserCpuSeconds()});
        }
        return cpu;
    }

    private static Map<String, Object> percentiles(double[] values) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", values.length);
        m.put("p05", round(CallLatency.percentile(values, 0.05), 1));
        m.put("p50", round(CallLatency.percentile(values, 0.5), 1));
        m.put("p95", round(CallLatency.percentile(values, 0.95), 1));
        m.put("max", round(CallLatency.percentile(values, 1), 1));
        return m;
    }

    private static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Double.isNaN(v) || Double.isInfinite(v) ? Double.NaN : Math.round(v * scale) / scale;
    }
}
