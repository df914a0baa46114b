package dev.tunnelcast.bench.abr;

import dev.tunnelcast.bench.impair.CapSchedule;
import dev.tunnelcast.bench.harness.MachineInfo;
import dev.tunnelcast.bench.impair.ImpairmentProxy;
import dev.tunnelcast.bench.impair.ImpairmentProxy.Direction;
import dev.tunnelcast.bench.impair.LinkProfile;
import dev.tunnelcast.bench.latency.ChromiumPlayer;
import dev.tunnelcast.bench.latency.ChromiumTab;
import dev.tunnelcast.bench.latency.ForeignCpu;
import dev.tunnelcast.bench.latency.LiveStack;
import dev.tunnelcast.server.auth.Action;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One run: a fresh stream published in one mode, two browsers playing it, each
 * through an impairment proxy of its own (its page and its WebSocket), the capped tab's relay →
 * player direction capped by the scenario, the open tab's left clean. Both tabs start on a
 * clean link; the scenario's first cap then applies for the warm-up (unmeasured: a capped
 * player's first move down), and the measured window follows, read every second. Two browsers,
 * not two tabs of one: headless Chromium renders only its front tab, and a player in a hidden
 * tab shows a few frames a second (its video frame callbacks do not fire), which would read as
 * stalls.
 */
final class AbrRunner {

    /** Each browser's one tab. */
    private static final String MAIN_TAB = "main";
    private static final String PLAYING = "window.tunnelcast?.stats?.state === 'playing' && window.tunnelcast.stats.framesShown >= 30";

    private final LiveStack stack;
    private final ChromiumPlayer cappedBrowser;
    private final ChromiumPlayer openBrowser;
    private final Duration warmup;

    AbrRunner(LiveStack stack, ChromiumPlayer cappedBrowser, ChromiumPlayer openBrowser, Duration warmup) {
        this.stack = stack;
        this.cappedBrowser = cappedBrowser;
        this.openBrowser = openBrowser;
        this.warmup = warmup;
    }

    AbrRun run(String stream, CapSchedule scenario, AbrMode mode, int repeat) throws Exception {
        mode.publish(stack, stream);
        ChromiumTab capped = cappedBrowser.tab(MAIN_TAB);
        ChromiumTab open = openBrowser.tab(MAIN_TAB);
        try (ImpairmentProxy cappedLink = ImpairmentProxy.start(stack.port(), LinkProfile.clean(), LinkProfile.clean());
             ImpairmentProxy openLink = ImpairmentProxy.start(stack.port(), LinkProfile.clean(), LinkProfile.clean())) {
            URI url = stack.playerUrl(stream, stack.token(Action.PLAY, stream), "");
            open.open(openLink.route(url).toString());
            capped.open(cappedLink.route(url).toString());
            for (ChromiumTab tab : List.of(open, capped)) {
                tab.waitUntil(PLAYING, Duration.ofSeconds(60));
            }
            PageWatch cappedWatch = PageWatch.install(capped);
            PageWatch openWatch = PageWatch.install(open);
            long cap = scenario.capAt(0);
            cappedLink.setProfile(Direction.DOWNSTREAM, LinkProfile.clean().withCap(cap));
            Thread.sleep(warmup.toMillis());
            return measure(scenario, mode, repeat, new Link(cappedLink, cappedWatch), new Link(openLink, openWatch));
        } finally {
            closeQuietly(capped);
            closeQuietly(open);
            stack.stopPublishing(stream);
        }
    }

    private AbrRun measure(CapSchedule scenario, AbrMode mode, int repeat, Link capped, Link open) throws InterruptedException {
        String load = MachineInfo.loadAverage();
        ForeignCpu foreign = ForeignCpu.start();
        TabTrace cappedTrace = new TabTrace(capped.baseline());
        TabTrace openTrace = new TabTrace(open.baseline());
        List<AbrSecond> seconds = new ArrayList<>();
        long cap = scenario.capAt(0);
        long t0 = System.nanoTime();
        for (int t = 0; t < scenario.seconds(); t++) {
            if (scenario.capAt(t) != cap) {
                cap = scenario.capAt(t);
                capped.proxy().setProfile(Direction.DOWNSTREAM, LinkProfile.clean().withCap(cap));
            }
            long wait = t0 + (t + 1) * 1_000_000_000L - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            seconds.add(new AbrSecond(t + 1, cap / 1000.0, capped.next(cappedTrace, t + 1), open.next(openTrace, t + 1)));
        }
        double cores = Math.round(foreign.coresUsed() * 100) / 100.0;
        return AbrRun.of(scenario, mode, repeat, cappedTrace, openTrace, cores, load, seconds);
    }

    /** One tab's proxy and page, read together: the bytes its link carried and the page's figures since the last read. */
    private static final class Link {
        private final ImpairmentProxy proxy;
        private final PageWatch watch;
        private long bytes;
        private long readAtNanos;

        Link(ImpairmentProxy proxy, PageWatch watch) {
            this.proxy = proxy;
            this.watch = watch;
        }

        ImpairmentProxy proxy() {
            return proxy;
        }

        PageWatch.Sample baseline() {
            PageWatch.Sample s = watch.read();
            bytes = proxy.stats(Direction.DOWNSTREAM).bytes();
            readAtNanos = System.nanoTime();
            return s;
        }

        TabSecond next(TabTrace trace, int second) {
            PageWatch.Sample s = watch.read();
            long now = System.nanoTime();
            long total = proxy.stats(Direction.DOWNSTREAM).bytes();
            TabSecond added = trace.add(second, s, total - bytes, (now - readAtNanos) / 1e6);
            bytes = total;
            readAtNanos = now;
            return added;
        }
    }


    private static void closeQuietly(ChromiumTab tab) {
        try {
            tab.close();
        } catch (RuntimeException e) {
            // never opened, or the browser is gone: nothing to close
        }
    }
}
