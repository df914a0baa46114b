package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunnelcast.bench.call.CallMedia;
import dev.tunnelcast.bench.call.CallPage;
import dev.tunnelcast.bench.harness.MachineInfo;
import dev.tunnelcast.bench.impair.ImpairmentProxy;
import dev.tunnelcast.bench.impair.LinkProfile;
import dev.tunnelcast.bench.latency.ChromiumPlayer;
import dev.tunnelcast.server.Relay;
import dev.tunnelcast.server.RelayMain;
import dev.tunnelcast.server.archive.ArchiveConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * Calls (web-player's {@code #/call/{room}}) in real headless Chromium through a real relay:
 * two browsers, each with Chromium's fake camera and microphone playing files made with
 * FFmpeg (the frame stamp of docs/frame-stamp.md as an identifier, a distinct range per
 * browser; beeps at irregular gaps), join tokens minted by the relay's {@code token} command.
 * Ann, cat and dan are tabs of one browser, bob has the other. The participants reach the
 * relay as people do: ann through a TCP proxy this test controls (to cut her connections),
 * bob over wss with a self-signed certificate through a real tinyproxy that wants a password,
 * cat and dan each through a clean TCP proxy of their own (one address per participant: see
 * {@link #start()}), the refused pages directly.
 *
 * <p>Ann and bob are in the call for the whole class (every test leaves it so); each test
 * checks they still see and hear each other. What is checked: every page shows every other
 * participant with advancing stamps of that participant's camera and hears its beeps, with
 * two and with four pages; a join and a leave reach the others (how long after, on the pages' own
 * relay clocks: the relay's join time or the leaver's click, against when the others' pages
 * changed, is printed, not asserted: the 1 s is a figure for a quiet machine, and at a
 * load average of 48 on 2 cores a page showed a join after 2.4 s);
 * a page whose connections are reset rejoins and is seen again; mute and camera-off are seen;
 * refusals (no token 4401, another room's token 4403, a full room 4430, the same participant
 * in a second tab 4409) are shown on the refused page while the call goes on; a participant's
 * recording holds both tracks and every video frame it sent. No timing assertion; every wait
 * is generous, for a busy 2-core machine.
 */
@Timeout(value = 360)
class CallE2ETest {

    private static final Path WEB_PLAYER = Path.of("..", "web-player").toAbsolutePath().normalize();
    private static final Path ARTIFACTS = Path.of("target", "e2e").toAbsolutePath();
    private static final String ROOM = "standup";
    private static final String SIZE = "320x180";
    private static final int FPS = 15;
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "call-e2e-" + System.nanoTime();
    /**
     * Each browser's fake camera stamps its frames from here: a tile's stamps say whose picture it shows (ann, cat and dan
     * share a browser, hence a camera).
     */
    private static final Map<String, Long> STAMP_BASES = Map.of("ann", 100_000L, "bob", 200_000L, "cat", 100_000L, "dan", 100_000L);

    private static Path work;
    private static Relay relay;
    private static ImpairmentProxy annsNetwork;
    /** Cat's and dan's own ways to the relay (clean TCP proxies): each tab of ann's browser reaches the relay at its own address. */
    private static final List<ImpairmentProxy> TAB_NETWORKS = new ArrayList<>();
    private static Tinyproxy tinyproxy;
    /** Ann's browser (her tab, cat's, dan's and the extra tabs) and bob's (behind tinyproxy). */
    private static ChromiumPlayer annsBrowser;
    private static ChromiumPlayer bobsBrowser;
    private static final Map<String, CallPage> PAGES = new LinkedHashMap<>();
    private static final Map<String, String> ORIGINS = new LinkedHashMap<>();
    /** Every join and leave and how long after it each other page showed it, ms (printed at the end). */
    private static final List<String> SEEN_WITHIN = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(ARTIFACTS);
        work = Files.createTempDirectory(ARTIFACTS, "call-");
        SelfSignedCertificate cert = SelfSignedCertificate.create(work);
        // The Hello timeout is raised from 5 s: a page starved of CPU on a busy 2-core machine has sent its player's Hello
        // later than that, and the relay's refusal (4400) is final for a player, whose tile then stays in error.
        // The pong timeout is raised from 10 s for the same reason: the four pages' phase asks this machine for about 1.7
        // of its 2 cores (renderers' main threads 0.8, their media and audio threads, Chromium's compositors, the relay;
        // top beside a CPU hog), and a page that read nothing for 10 s was closed with 4431, came back with a GOP to
        // catch up on, and the reconnects fed on each other (proof run 12: 7 reconnects of ann's page, then a page that
        // answered nothing for 2 minutes).
        relay = Relay.start(AgentFixtures.relay().tokenSecret(SECRET).maxRoomSize(4).helloTimeout(Duration.ofSeconds(30))
                .pongTimeout(Duration.ofSeconds(60))
                .tlsPort(0).tlsPem(cert.certPem(), cert.keyPem())
                .archive(ArchiveConfig.defaults(work.resolve("archive")).withStreamGlob(ROOM + ".dan")).build());
        annsNetwork = ImpairmentProxy.start(relay.port(), LinkProfile.clean(), LinkProfile.clean());
        tinyproxy = Tinyproxy.start(work, "alice", "s3cret", 40);
        ORIGINS.put("ann", "http://127.0.0.1:" + annsNetwork.port());
        ORIGINS.put("bob", "https://127.0.0.1:" + relay.tlsPort());
        // Chromium lets one WebSocket per address be in its handshake at a time: a tab whose handshake stalled (its page
        // starved of CPU) held up every other tab's sockets to the same address (dan's publisher never connected in 90 s).
        // People's tabs in a call do share an address; here each participant gets its own so one stalled page fails alone.
        for (String p : List.of("cat", "dan")) {
            ImpairmentProxy network = ImpairmentProxy.start(relay.port(), LinkProfile.clean(), LinkProfile.clean());
            TAB_NETWORKS.add(network);
            ORIGINS.put(p, "http://127.0.0.1:" + network.port());
        }
        ORIGINS.put("refused", "http://127.0.0.1:" + relay.port());

        // Two browsers, not four: four headless Chromiums in one call took this 2-core machine's every cycle (a page
        // answered nothing for minutes); tabs of one browser share its GPU, audio and network processes.
        Path microphone = CallMedia.microphone(work);
        annsBrowser = ChromiumPlayer.launch(WEB_PLAYER, ARTIFACTS.resolve("chromium-call-ann.log"), ChromiumPlayer.Options.defaults()
                .withFakeMedia(CallMedia.camera(work, 320, 180, FPS, STAMP_BASES.get("ann")), microphone));
        bobsBrowser = ChromiumPlayer.launch(WEB_PLAYER, ARTIFACTS.resolve("chromium-call-bob.log"), ChromiumPlayer.Options.defaults()
                .withFakeMedia(CallMedia.camera(work, 320, 180, FPS, STAMP_BASES.get("bob")), microphone)
                .withProxy("http://alice:s3cret@127.0.0.1:" + tinyproxy.port).trustingAnyCertificate()
                // bob's sockets have opened minutes late through the proxy (beside a CPU hog): his network log says why
                .withNetLog(ARTIFACTS.resolve("chromium-call-bob-netlog.json")));
        PAGES.put("ann", new CallPage(annsBrowser.tab("ann"), "ann"));
        PAGES.put("bob", new CallPage(bobsBrowser.tab("bob"), "bob"));
        PAGES.put("cat", new CallPage(annsBrowser.tab("cat"), "cat"));
        PAGES.put("dan", new CallPage(annsBrowser.tab("dan"), "dan"));
        inParallel(List.of("ann", "bob"), p -> {
            page(p).open(link(p), DEADLINE);
            return page(p).join(DEADLINE);
        });
    }

    /**
     * Back to the call every test starts from, whatever a test left: cat's and dan's pages and
     * any extra tab gone, ann and bob in the call (joined again if a test broke that), seeing
     * only each other.
     */
    @AfterEach
    void backToAnnAndBob() throws Exception {
        // Closing a page closes its sockets: the others see "left".
        for (String tab : List.of("cat", "dan", "second", "eve", "anonymous", "stranger")) {
            try {
                annsBrowser.tab(tab).close();
            } catch (IllegalStateException noSuchTab) {
                // the test did not open it, or closed it
            }
        }
        for (String p : List.of("ann", "bob")) {
            if (!page(p).stats().path("state").asText().equals("in-call")) {
                page(p).open(link(p), DEADLINE);
                page(p).join(DEADLINE);
            }
        }
        inParallel(List.of("ann", "bob"), p -> page(p).awaitFigures("s.state === 'in-call' && s.tiles.length === 1", DEADLINE));
    }

    @AfterAll
    static void stop() throws Exception {
        if (!SEEN_WITHIN.isEmpty()) {
            System.out.println("joins and leaves seen by the others after (ms): " + String.join(", ", SEEN_WITHIN));
        }
        for (ChromiumPlayer browser : new ChromiumPlayer[] {annsBrowser, bobsBrowser}) {
            if (browser != null) {
                browser.close();
            }
        }
        if (tinyproxy != null) {
            tinyproxy.close();
        }
        if (annsNetwork != null) {
            annsNetwork.close();
        }
        TAB_NETWORKS.forEach(ImpairmentProxy::close);
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void twoPagesSeeAndHearEachOtherBobOverWssThroughTinyproxy() throws Exception {
        seeAndHearEachOther(List.of("ann", "bob"), 10, 2);
        assertThat(page("bob").tab().evaluate("location.protocol").asText()).isEqualTo("https:");
        assertThat(tinyproxy.logText()).as("bob's page and sockets went through the proxy")
                .contains("CONNECT 127.0.0.1:" + relay.tlsPort());
        JsonNode bob = page("bob").stats();
        assertThat(bob.path("self").path("publisher").path("videoCodec").asText()).startsWith("avc1.");
        JsonNode ann = page("ann").stats();
        assertThat(ann.path("members").asInt()).isEqualTo(2);
        assertThat(ann.path("audioProcessing").path("noiseSuppression").asBoolean()).isTrue();
        assertThat(ann.path("audioProcessing").path("echoCancellation").asText()).as("Chromium reports 'all' as true").isIn("all", "true");
        assertThat(page("ann").tab().text(".tc-tile[data-participant=\"bob\"] .tc-tile-name-text")).isEqualTo("BOB");
        screenshots("two", List.of("ann", "bob"));
    }

    @Test
    void fourPagesSeeAndHearEveryOtherJoinsAndLeavesAreSeenAndAFullRoomIsRefused() throws Exception {
        seeAndHearEachOther(List.of("ann", "bob"), 3, 1);
        joinAndCheckSeen("cat", List.of("ann", "bob"));
        joinAndCheckSeen("dan", List.of("ann", "bob", "cat"));
        List<String> everyone = List.of("ann", "bob", "cat", "dan");
        seeAndHearEachOther(everyone, 10, 2);
        screenshots("four", everyone);

        // A fifth participant (a token for any participant of the room, no participant id in the link: the page
        // makes one from the name) finds the room full: 4430 on that page, nothing changes for the four.
        CallPage eve = new CallPage(annsBrowser.tab("eve"), "eve");
        String evesLink = ORIGINS.get("refused") + "/?size=" + SIZE + "&fps=" + FPS + "&name=Eve%20Adams&token=" + roomToken(ROOM);
        eve.open(evesLink + "#/call/" + ROOM, DEADLINE);
        eve.clickJoin();
        JsonNode refused = eve.awaitState("room-full", DEADLINE);
        assertThat(refused.path("closeCode").asInt()).isEqualTo(4430);
        assertThat(refused.path("participant").asText()).startsWith("eve-adams-");
        eve.tab().waitUntil("document.querySelector('.tc-call-end .tc-message-text')?.textContent.includes('is full')", DEADLINE);
        eve.tab().screenshot(ARTIFACTS.resolve("call-room-full.png"));
        eve.tab().close();
        seeAndHearEachOther(everyone, 3, 1);
        for (String p : everyone) {
            JsonNode s = page(p).stats();
            assertThat(s.path("members").asInt()).as("members seen by %s", p).isEqualTo(4);
            assertThat(CallPage.tile(s, "eve")).as("%s shows no tile of the refused participant", p).isEmpty();
        }

        // Dan leaves: the others see it ("left"); his publication was recorded whole.
        page("dan").tab().evaluate("(() => { window.__publisher = window.tunnelcast.call.publisher; return true; })()");
        leaveAndCheckSeen("dan", List.of("ann", "bob", "cat"));
        JsonNode dansPublisher = page("dan").tab().evaluate("window.__publisher.stats");
        checkRecording(ROOM + ".dan", dansPublisher.path("videoPacketsSent").asLong());
        leaveAndCheckSeen("cat", List.of("ann", "bob"));
        seeAndHearEachOther(List.of("ann", "bob"), 3, 1);
    }

    @Test
    void refusalsNoTokenAnotherRoomsTokenAndASecondTabOfTheSameParticipantAreShownWhileTheCallGoesOn() throws Exception {
        int annsConnections = page("ann").stats().path("connections").asInt();
        // The three refused pages at once (tabs of ann's browser): no token (the join screen asks for one; joining
        // without it is 4401), another room's token (4403), ann's own link in a second tab (4409).
        record Refused(String tab, String participant, String link, String state, int code, String says) {}
        List<Refused> refusals = List.of(
                new Refused("anonymous", "zed", CallPage.link(ORIGINS.get("refused"), ROOM, "zed", null, SIZE, FPS),
                        "unauthorized", 4401, "needs a join token"),
                new Refused("stranger", "zed", CallPage.link(ORIGINS.get("refused"), ROOM, "zed", joinToken("elsewhere", "zed"), SIZE, FPS),
                        "forbidden", 4403, "does not let you join"),
                new Refused("second", "ann", link("ann"), "duplicate", 4409, "already in this call"));
        inParallel(refusals.stream().map(Refused::tab).toList(), tab -> {
            Refused r = refusals.stream().filter(x -> x.tab().equals(tab)).findFirst().orElseThrow();
            CallPage page = new CallPage(annsBrowser.tab(r.tab()), r.participant());
            page.open(r.link(), DEADLINE);
            page.clickJoin();
            assertThat(page.awaitState(r.state(), DEADLINE).path("closeCode").asInt()).as(r.tab()).isEqualTo(r.code());
            page.tab().waitUntil("document.querySelector('.tc-call-end .tc-message-text')?.textContent.includes('" + r.says() + "')",
                    DEADLINE);
            page.tab().screenshot(ARTIFACTS.resolve("call-refused-" + r.tab() + ".png"));
            page.tab().close();
            return r;
        });
        seeAndHearEachOther(List.of("ann", "bob"), 5, 1);
        for (String p : List.of("ann", "bob")) {
            JsonNode s = page(p).stats();
            assertThat(s.path("state").asText()).isEqualTo("in-call");
            assertThat(s.path("members").asInt()).isEqualTo(2);
            assertThat(CallPage.tile(s, "zed")).isEmpty();
        }
        assertThat(page("ann").stats().path("connections").asInt()).as("ann's first tab kept its connection").isEqualTo(annsConnections);
    }

    @Test
    void aPageWhoseConnectionsAreResetRejoinsAndIsSeenAgain() throws Exception {
        seeAndHearEachOther(List.of("ann", "bob"), 3, 1);
        int connections = page("ann").stats().path("connections").asInt();
        double bobsClockBeforeMs = page("bob").stats().path("relayNowMs").asDouble();
        double annsClockBeforeMs = page("ann").stats().path("relayNowMs").asDouble();
        int reset = annsNetwork.resetConnections();
        assertThat(reset).as("ann's sockets reset (publisher and player)").isGreaterThanOrEqualTo(4);
        JsonNode back = page("ann").awaitFigures("s.state === 'in-call' && s.connections > " + connections, DEADLINE);
        assertThat(back.path("reconnects").asInt()).isPositive();
        assertThat(back.path("closeCode").asInt()).as("dropped, not closed: 1006").isEqualTo(1006);
        // Seen again: bob shows ann's picture advancing and hears her after the reset, and ann's player of bob came back too.
        page("bob").awaitFigures(seesAndHears(List.of("ann"), bobsClockBeforeMs, 10, 2), DEADLINE);
        page("ann").awaitFigures(seesAndHears(List.of("bob"), annsClockBeforeMs, 10, 2), DEADLINE);
        System.out.printf(Locale.ROOT, "ann's connections reset: back in the call after %.0f ms (her page's outage)%n",
                page("ann").stats().path("lastOutageMs").asDouble());
    }

    @Test
    void muteAndCameraOffAreSeenByTheOthers() throws Exception {
        seeAndHearEachOther(List.of("ann", "bob"), 3, 1);
        String annsTileOnBob = ".tc-tile[data-participant=\"ann\"]";
        page("ann").tab().click("[data-control=\"mic\"]");
        page("bob").awaitFigures(tileIs("ann", "t.audioMuted"), DEADLINE);
        page("bob").tab().waitUntil("!document.querySelector('" + annsTileOnBob + " .tc-tile-mic-off').hidden", DEADLINE);
        page("ann").tab().click("[data-control=\"mic\"]");
        page("bob").awaitFigures(tileIs("ann", "!t.audioMuted"), DEADLINE);

        page("ann").tab().click("[data-control=\"camera\"]");
        page("bob").awaitFigures(tileIs("ann", "t.videoMuted"), DEADLINE);
        page("bob").tab().waitUntil("document.querySelector('" + annsTileOnBob + "').classList.contains('tc-picture-off')", DEADLINE);
        page("bob").tab().screenshot(ARTIFACTS.resolve("call-camera-off.png"));
        double cameraBackAtMs = page("bob").stats().path("relayNowMs").asDouble();
        page("ann").tab().click("[data-control=\"camera\"]");
        page("bob").awaitFigures(tileIs("ann", "!t.videoMuted"), DEADLINE);
        // The picture comes back (at a keyframe) and advances.
        page("bob").awaitFigures(seesAndHears(List.of("ann"), cameraBackAtMs, 10, 1), DEADLINE);
    }

    // --- the call's steps

    /** Opens the joiner's page and joins; each of {@code others} must add its tile (how long after the relay's join time is noted). */
    private static void joinAndCheckSeen(String joiner, List<String> others) {
        page(joiner).open(link(joiner), DEADLINE);
        page(joiner).join(DEADLINE);
        for (String other : others) {
            double seenAfterMs = page(other).joinSeenAfterMs(joiner, DEADLINE);
            seen(String.format(Locale.ROOT, "%s joined → %s's page %.0f", joiner, other, seenAfterMs));
        }
    }

    /** Notes how long a page took to show a join or a leave (printed with the load when the class ends). */
    private static void seen(String what) {
        SEEN_WITHIN.add(what + String.format(Locale.ROOT, " (load %s)", MachineInfo.loadAverage()));
    }

    /** Clicks Leave on the leaver's page; each of {@code others} must remove its tile ("left"; how long after the click is noted). */
    private static void leaveAndCheckSeen(String leaver, List<String> others) {
        double clickedAtMs = page(leaver).leave(DEADLINE);
        for (String other : others) {
            CallPage.Departure departure = page(other).departureOf(leaver, clickedAtMs, DEADLINE);
            assertThat(departure.reason()).isEqualTo("left");
            seen(String.format(Locale.ROOT, "%s left → %s's page %.0f", leaver, other, departure.seenAfterMs()));
        }
    }

    /**
     * Every page of {@code participants} shows every other with at least {@code stamps} new
     * stamps of that participant's camera and {@code beeps} new beeps heard, counted from now.
     */
    private static void seeAndHearEachOther(List<String> participants, int stamps, int beeps) throws Exception {
        Map<String, Double> since = new LinkedHashMap<>();
        for (String p : participants) {
            since.put(p, page(p).stats().path("relayNowMs").asDouble());
        }
        try {
            inParallel(participants, p -> {
                List<String> others = participants.stream().filter(o -> !o.equals(p)).toList();
                JsonNode s = page(p).awaitFigures("s.state === 'in-call' && s.tiles.length === " + others.size() + " && "
                        + seesAndHears(others, since.get(p), stamps, beeps), DEADLINE);
                return s;
            });
        } catch (Exception | Error e) {
            // Whom nobody hears (a sender's fault) or who hears nobody (a receiver's): every page's counters tell. Also
            // when the class's @Timeout interrupted the wait: the pages are read with the interrupt put aside.
            boolean interrupted = Thread.interrupted();
            for (String p : participants) {
                try {
                    System.out.println(p + "'s page when the call check failed: " + page(p).summary());
                } catch (RuntimeException unreadable) {
                    System.out.println(p + "'s page when the call check failed: unreadable (" + unreadable.getMessage() + ")");
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
    }

    /**
     * A condition over the figures {@code s}: a live, playing tile of each of {@code others}
     * that showed {@code stamps} new stamps of that participant's camera and heard
     * {@code beeps} beep onsets after {@code sinceMs} (the page's relay clock).
     */
    private static String seesAndHears(List<String> others, double sinceMs, int stamps, int beeps) {
        String bases = others.stream().map(o -> "['" + o + "', " + STAMP_BASES.get(o) + "]").collect(Collectors.joining(", "));
        int frames = CallMedia.framesPerLoop(FPS);
        return String.format(Locale.ROOT, "[%s].every(([q, base]) => { const t = s.tiles.find((x) => x.participant === q);"
                + " return t && t.status === 'live' && t.playerState === 'playing'"
                + " && t.stampsShown.filter(([st, at]) => at > %.1f && st >= base && st < base + %d).length >= %d"
                + " && t.beepsHeardAtMs.filter((at) => at > %.1f).length >= %d; })", bases, sinceMs, frames, stamps, sinceMs, beeps);
    }

    /** A condition over the figures {@code s}: the tile of {@code participant}, as {@code t}, meets {@code condition}. */
    private static String tileIs(String participant, String condition) {
        return "s.tiles.some((t) => t.participant === '" + participant + "' && (" + condition + "))";
    }

    /** The recorded segment of {@code stream} (closed when its publisher left) holds H.264 and Opus, every video frame sent. */
    private static void checkRecording(String stream, long videoPacketsSent) throws Exception {
        JsonNode segment = awaitClosedSegment(stream);
        Path file = work.resolve("archive").resolve(stream).resolve(segment.path("id").asText() + ".mp4");
        assertThat(FFprobe.probe(file, "v:0", "stream=codec_name")).isEqualTo("h264");
        assertThat(FFprobe.probe(file, "a:0", "stream=codec_name")).isEqualTo("opus");
        long videoFrames = Long.parseLong(FFprobe.probe(file, "v:0", "stream=nb_read_frames", "-count_frames"));
        System.out.printf("%s: sent %d video packets, the recording decodes %d frames%n", stream, videoPacketsSent, videoFrames);
        assertThat(videoPacketsSent).isPositive();
        assertThat(videoFrames).as("video frames recorded vs sent").isEqualTo(videoPacketsSent);
    }

    private static JsonNode awaitClosedSegment(String stream) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String token = joinToken(ROOM, "ann"); // a join token reads the room's recordings
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        JsonNode list = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + relay.port() + "/api/streams/" + stream + "/recordings"))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("recordings of %s: %s", stream, response.body()).isEqualTo(200);
            list = JSON.readTree(response.body());
            if (list.size() == 1 && !list.get(0).path("state").asText().equals("RECORDING")) {
                return list.get(0);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no closed segment of " + stream + " within " + DEADLINE + ": " + list);
    }

    // --- the participants

    private static CallPage page(String participant) {
        return PAGES.get(participant);
    }

    private static String link(String participant) {
        return CallPage.link(ORIGINS.get(participant), ROOM, participant, joinToken(ROOM, participant), SIZE, FPS);
    }

    /** A join token for one participant of a room, as the relay's command line prints it. */
    private static String joinToken(String room, String participant) {
        return tokenCommand("--room", room, "--participant", participant);
    }

    /** A join token for any participant of a room. */
    private static String roomToken(String room) {
        return tokenCommand("--room", room);
    }

    private static String tokenCommand(String... target) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = RelayMain.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> args = new ArrayList<>(List.of("token", "--secret", SECRET, "--ttl", "1h"));
        args.addAll(List.of(target));
        int exit = cli.execute(args.toArray(String[]::new));
        assertThat(exit).as("token command: %s", err).isZero();
        return out.toString().trim();
    }

    private static void screenshots(String name, List<String> participants) {
        for (String p : participants) {
            page(p).tab().screenshot(ARTIFACTS.resolve("call-" + name + "-" + p + ".png"));
        }
    }

    /**
     * Runs {@code step} for each participant (or tab) at once and waits for all; the first
     * failure is thrown, with the other participants' failures attached (suppressed).
     */
    private static <T> List<T> inParallel(List<String> participants, Function<String, T> step) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(participants.size());
        try {
            List<Future<T>> runs = participants.stream().map(p -> threads.submit(() -> step.apply(p))).toList();
            List<T> results = new ArrayList<>();
            Throwable first = null;
            for (Future<T> run : runs) {
                try {
                    results.add(run.get());
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause();
                    } else {
                        first.addSuppressed(e.getCause());
                    }
                }
            }
            if (first instanceof Error error) {
                throw error; // an assertion
            }
            if (first != null) {
                throw (Exception) first;
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }
}
