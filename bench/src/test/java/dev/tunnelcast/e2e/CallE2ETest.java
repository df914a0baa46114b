package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunnelcast.bench.latency.ChromiumPlayer;
import dev.tunnelcast.server.Relay;
import dev.tunnelcast.server.auth.TokenAuthority;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The call page (web-player/src/call/, {@code #/call/{room}}) in two real headless Chromiums,
 * their cameras and microphones Chromium's fake devices playing files this test makes with
 * FFmpeg (a 640x360 test pattern, a 1 kHz beep every second), through a real relay with a token
 * secret: each page joins with a join token, shows the other participant's tile with frames
 * and audio, sees the other mute, and sees the other leave (reason "left"). Refusals are shown
 * on the page, the call ending: a token for another room (4403), the same participant in a
 * second page (4409), a full room (4430). The pages' figures are read from
 * {@code window.tunnelcast.stats} (CallStats, web-player/README.md "Calls"). No timed
 * assertions: generous deadlines only, for a busy 2-core machine.
 */
@Timeout(value = 420)
class CallE2ETest {

    private static final Path WEB_PLAYER = Path.of("..", "web-player").toAbsolutePath().normalize();
    private static final Path ARTIFACTS = Path.of("target", "e2e").toAbsolutePath();
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String SECRET = "call-e2e-secret-0123456789abcdef";

    private static Path work;
    private static Relay relay;
    private static TokenAuthority tokens;
    private static ChromiumPlayer ann;
    private static ChromiumPlayer bob;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(ARTIFACTS);
        work = Files.createTempDirectory(ARTIFACTS, "call-");
        Path video = work.resolve("camera.y4m");
        Path audio = work.resolve("microphone.wav");
        ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-t", "2", "-pix_fmt", "yuv420p", video.toString());
        ffmpeg("-f", "lavfi", "-i", "aevalsrc=0.25*sin(2*PI*1000*t)*lt(mod(t\\,1)\\,0.1):s=48000:d=4", "-ac", "1", "-c:a", "pcm_s16le",
                audio.toString());
        relay = Relay.start(AgentFixtures.relay().tokenSecret(SECRET).maxRoomSize(2).build());
        tokens = new TokenAuthority(SECRET);
        ann = ChromiumPlayer.launchWithFakeMedia(WEB_PLAYER, ARTIFACTS.resolve("chromium-call-ann.log"), video, audio);
        bob = ChromiumPlayer.launchWithFakeMedia(WEB_PLAYER, ARTIFACTS.resolve("chromium-call-bob.log"), video, audio);
    }

    @AfterAll
    static void stop() {
        for (ChromiumPlayer browser : new ChromiumPlayer[] {ann, bob}) {
            if (browser != null) {
                browser.close();
            }
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void twoParticipantsSeeAndHearEachOtherSeeAMuteAndALeave() {
        String token = joinToken("standup");
        join(ann, "standup", "Ann Lee", token, "");
        join(bob, "standup", "Bob", token, "");
        JsonNode annSees = ann.waitUntil(seesWithMedia("Bob"), DEADLINE);
        JsonNode bobSees = bob.waitUntil(seesWithMedia("Ann Lee"), DEADLINE);
        ann.screenshot(ARTIFACTS.resolve("call-ann.png"));
        System.out.printf("call: Ann sees %s%ncall: Bob sees %s%n", annSees.path("tiles").get(0), bobSees.path("tiles").get(0));
        assertThat(annSees.path("members").asInt()).isEqualTo(2);
        assertThat(annSees.path("participant").asText()).startsWith("ann-lee-");
        assertThat(annSees.path("audioProcessing").path("noiseSuppression").asBoolean()).isTrue();
        assertThat(annSees.path("audioProcessing").path("echoCancellation").asText()).isIn("all", "true");
        assertThat(ann.text("[data-participant] .tc-tile-name-text")).isNotEmpty();

        bob.click("[data-control=\"mic\"]");
        ann.waitUntil("window.tunnelcast.stats.tiles[0].audioMuted === true", DEADLINE);
        bob.click("[data-control=\"camera\"]");
        ann.waitUntil("window.tunnelcast.stats.tiles[0].videoMuted === true", DEADLINE);

        bob.click("[data-control=\"leave\"]");
        bob.waitUntil("window.tunnelcast.stats.state === 'left'", DEADLINE);
        JsonNode left = ann.waitUntil("(() => { const s = window.tunnelcast.stats;"
                + " return s.tiles.length === 0 && s.departures.some((d) => d.reason === 'left') && s; })()", DEADLINE);
        assertThat(left.path("state").asText()).as("Ann stays in the call").isEqualTo("in-call");
        open(ann, "about:blank");
    }

    @Test
    void refusalsAreShownOnThePage() {
        // A join token for another room: 4403.
        join(ann, "standup", "Ann", joinToken("other"), "");
        JsonNode forbidden = ann.waitUntil(endedWith("forbidden"), DEADLINE);
        assertThat(forbidden.path("closeCode").asInt()).isEqualTo(4403);
        assertThat(ann.text(".tc-call-end .tc-message-text")).contains("does not let you join room");

        // The same participant in a second page: 4409 for the second; the first stays.
        String token = joinToken("dup");
        join(ann, "dup", "Ann", token, "ann");
        ann.waitUntil("window.tunnelcast.stats.state === 'in-call'", DEADLINE);
        join(bob, "dup", "Ann again", token, "ann");
        JsonNode duplicate = bob.waitUntil(endedWith("duplicate"), DEADLINE);
        assertThat(duplicate.path("closeCode").asInt()).isEqualTo(4409);
        assertThat(bob.text(".tc-call-end .tc-message-text")).contains("another tab or window");

        // A third participant of a room of two (the relay's --max-room-size 2): 4430.
        join(bob, "dup", "Bob", token, "bob");
        bob.waitUntil("window.tunnelcast.stats.state === 'in-call' && window.tunnelcast.stats.members === 2", DEADLINE);
        try (ChromiumPlayer third = ChromiumPlayer.launchWithFakeMedia(WEB_PLAYER, ARTIFACTS.resolve("chromium-call-third.log"),
                work.resolve("camera.y4m"), work.resolve("microphone.wav"))) {
            join(third, "dup", "Carol", token, "");
            JsonNode full = third.waitUntil(endedWith("room-full"), DEADLINE);
            assertThat(full.path("closeCode").asInt()).isEqualTo(4430);
            assertThat(third.text(".tc-call-end .tc-message-text")).contains("is full");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        assertThat(ann.stats().path("state").asText()).as("the call goes on").isEqualTo("in-call");
        open(ann, "about:blank");
        open(bob, "about:blank");
    }

    /** Opens the call page and presses Join (the user gesture that lets the call's audio play). */
    private static void join(ChromiumPlayer browser, String room, String name, String token, String participant) {
        String query = "name=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&token=" + token
                + (participant.isEmpty() ? "" : "&participant=" + participant);
        open(browser, "http://127.0.0.1:" + relay.port() + "/#/call/" + room + "?" + query);
        browser.waitUntil("document.querySelector('.tc-call-join-button:not([disabled])') !== null", DEADLINE);
        // A browser that just started on a busy machine can take longer than the driver's usual 5 s to click.
        browser.call("click", Map.of("selector", ".tc-call-join-button", "timeoutMs", DEADLINE.toMillis()), DEADLINE);
    }

    /** A new page (the previous one closed: a call page leaves its call), with this test's deadline for a busy machine. */
    private static void open(ChromiumPlayer browser, String url) {
        browser.call("open", Map.of("url", url), DEADLINE);
    }

    /** The page shows the named participant with frames shown and audio played. */
    private static String seesWithMedia(String name) {
        return "(() => { const s = window.tunnelcast.stats; const t = s.tiles.find((x) => x.displayName === '" + name + "');"
                + " return s.state === 'in-call' && t && t.framesShown >= 30 && t.audioPacketsDecoded >= 50 && t.audioPlayedMs >= 1000 && s; })()";
    }

    private static String endedWith(String state) {
        return "(() => { const s = window.tunnelcast.stats; return s.state === '" + state + "' && s; })()";
    }

    private static String joinToken(String room) {
        return tokens.mintJoin(room, null, Instant.now().plus(Duration.ofHours(1)));
    }

    private static void ffmpeg(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("ffmpeg: %s", out).isZero();
    }
}
