package dev.tunnelcast.bench.latency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunnelcast.bench.harness.ProcStat;
import dev.tunnelcast.bench.harness.ProcessTree;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The web player in real headless Chromium, through {@code web-player/e2e/driver.mjs}
 * (playwright-core driving Debian's /usr/bin/chromium): one JSON command per line in, one
 * JSON answer per line out. Every call is bounded in time. The methods here act on the
 * browser's main tab; {@link #tab(String)} gives others (a call's second tab).
 */
public final class ChromiumPlayer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a command gets when the driver's output ends. */
    private static final String EXITED = "the Chromium driver exited (see its log)";
    /** How long Chromium may take to start. */
    private static final Duration BROWSER_START = Duration.ofMinutes(3);

    private final Process node;
    /** Commands sent and not yet answered, by id: the driver runs commands at once and answers each when it is done. */
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final OutputStream commands;
    private final AtomicLong commandIds = new AtomicLong();
    private volatile boolean exited;
    /** Completed when the driver says its browser is up (or the driver exited). */
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    private ChromiumPlayer(Process node) {
        this.node = node;
        this.commands = node.getOutputStream();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    JsonNode answer = parse(line);
                    if (answer.path("ready").asBoolean()) {
                        ready.complete(null);
                        continue;
                    }
                    CompletableFuture<JsonNode> waiting = pending.remove(answer.path("id").asLong());
                    if (waiting != null) { // else the late answer of a command whose caller gave up
                        waiting.complete(answer);
                    }
                }
            } catch (IOException ended) {
                // the driver is gone
            }
            exited = true;
            ready.complete(null);
            pending.values().forEach(waiting -> waiting.completeExceptionally(new IllegalStateException(EXITED)));
        }, "chromium-driver-answers");
        reader.setDaemon(true);
        reader.start();
    }

    /** An answer line; anything else on the driver's output (a stray log line) matches no command. */
    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException notJson) {
            return JSON.createObjectNode();
        }
    }

    /**
     * Starts the driver. {@code webPlayerDir} is the web-player module (its node_modules are
     * installed by its build); Chromium's stderr and the driver's logs go to {@code logFile}.
     */
    public static ChromiumPlayer launch(Path webPlayerDir, Path logFile) throws IOException {
        return launch(webPlayerDir, logFile, true);
    }

    /**
     * As {@link #launch(Path, Path)}; with {@code autoplayAllowed} false Chromium keeps its
     * default policy: audio starts only after a user gesture (a click).
     */
    public static ChromiumPlayer launch(Path webPlayerDir, Path logFile, boolean autoplayAllowed) throws IOException {
        return launch(webPlayerDir, logFile, autoplayAllowed, Map.of());
    }

    /**
     * As {@link #launch(Path, Path)}, with Chromium's fake camera and microphone playing
     * {@code video} (y4m) and {@code audio} (wav) in a loop, granted without a prompt: for the
     * browser publisher's page.
     */
    public static ChromiumPlayer launchWithFakeMedia(Path webPlayerDir, Path logFile, Path video, Path audio) throws IOException {
        return launch(webPlayerDir, logFile, true, Map.of("TUNNELCAST_FAKE_VIDEO", video.toAbsolutePath().toString(),
                "TUNNELCAST_FAKE_AUDIO", audio.toAbsolutePath().toString()));
    }

    /**
     * How a browser starts: Chromium's fake camera and microphone playing files (granted
     * without a prompt), every request through an HTTP proxy ({@code http://user:password@host:port},
     * loopback included), a self-signed certificate accepted, Chromium's network log written
     * to a file (its sockets, proxy tunnels and WebSocket handshakes, without their bytes: what
     * a connection that never opened was waiting for). Null or false: not used.
     */
    public record Options(Path fakeVideo, Path fakeAudio, String proxy, boolean ignoreHttpsErrors, Path netLog) {
        public static Options defaults() {
            return new Options(null, null, null, false, null);
        }

        public Options withFakeMedia(Path video, Path audio) {
            return new Options(video, audio, proxy, ignoreHttpsErrors, netLog);
        }

        public Options withProxy(String proxyUrl) {
            return new Options(fakeVideo, fakeAudio, proxyUrl, ignoreHttpsErrors, netLog);
        }

        public Options trustingAnyCertificate() {
            return new Options(fakeVideo, fakeAudio, proxy, true, netLog);
        }

        /** Chromium only: {@code --log-net-log} to this file. */
        public Options withNetLog(Path file) {
            return new Options(fakeVideo, fakeAudio, proxy, ignoreHttpsErrors, file);
        }

        Map<String, String> environment() {
            Map<String, String> env = new java.util.HashMap<>();
            if (fakeVideo != null) {
                env.put("TUNNELCAST_FAKE_VIDEO", fakeVideo.toAbsolutePath().toString());
            }
            if (fakeAudio != null) {
                env.put("TUNNELCAST_FAKE_AUDIO", fakeAudio.toAbsolutePath().toString());
            }
            if (proxy != null) {
                env.put("TUNNELCAST_PROXY", proxy);
            }
            if (ignoreHttpsErrors) {
                env.put("TUNNELCAST_IGNORE_HTTPS_ERRORS", "1");
            }
            if (netLog != null) {
                env.put("TUNNELCAST_NET_LOG", netLog.toAbsolutePath().toString());
            }
            return env;
        }
    }

    /**
     * The same driver and commands in Firefox: Debian's /usr/bin/firefox-esr through puppeteer-core
     * over WebDriver BiDi, autoplay allowed, audio to a PulseAudio null sink of its own
     * ({@code web-player/e2e/firefox-driver.mjs}); profile and sound server under web-player/target/.
     */
    public static ChromiumPlayer launchFirefox(Path webPlayerDir, Path logFile) throws IOException {
        return launchEngine(webPlayerDir, logFile, "firefox", "puppeteer-core");
    }

    /**
     * The same driver and commands in WebKit: Debian's WebKitGTK MiniBrowser through
     * WebKitWebDriver (selenium-webdriver), on an Xvfb display of its own, autoplay allowed, audio
     * to a PulseAudio null sink ({@code web-player/e2e/webkit-driver.mjs}); its files under
     * web-player/target/. WebDriver classic has no console events: the driver's console stays empty.
     */
    public static ChromiumPlayer launchWebKit(Path webPlayerDir, Path logFile) throws IOException {
        return launchEngine(webPlayerDir, logFile, "webkit", "selenium-webdriver");
    }

    /**
     * Firefox or WebKit ({@code engine} {@code firefox} or {@code webkit}) as {@link #launch(String, Path, Path)} starts it,
     * with the engine's own fake camera and microphone granted without a prompt (Firefox's fake devices: a frame changing
     * colour and a tone; WebKit's mock capture devices): for the browser publisher's page. Neither plays files as Chromium does.
     */
    public static ChromiumPlayer launchWithFakeDevices(String engine, Path webPlayerDir, Path logFile) throws IOException {
        return switch (engine) {
            case "firefox", "webkit" ->
                    launch(webPlayerDir, logFile, true, Map.of("TUNNELCAST_BROWSER", engine, "TUNNELCAST_FAKE_DEVICES", "1"));
            default -> throw new IllegalArgumentException("fake devices of its own: firefox or webkit, not '" + engine + "'");
        };
    }

    /**
     * Firefox with its fake devices, as {@link #launchWithFakeDevices} starts it, for a page that captures and plays at once
     * (a call page): its audio goes to Firefox's own mock device, since through cubeb's pulse backend such a page could
     * hang for good ({@code web-player/e2e/firefox-driver.mjs} says why each page gets which device).
     */
    public static ChromiumPlayer launchFirefoxForCall(Path webPlayerDir, Path logFile) throws IOException {
        return launch(webPlayerDir, logFile, true,
                Map.of("TUNNELCAST_BROWSER", "firefox", "TUNNELCAST_FAKE_DEVICES", "1", "TUNNELCAST_FIREFOX_AUDIO", "mock"));
    }

    /** The engine named {@code chromium}, {@code firefox} or {@code webkit}, as the methods above start it. */
    public static ChromiumPlayer launch(String engine, Path webPlayerDir, Path logFile) throws IOException {
        return switch (engine) {
            case "chromium" -> launch(webPlayerDir, logFile);
            case "firefox" -> launchFirefox(webPlayerDir, logFile);
            case "webkit" -> launchWebKit(webPlayerDir, logFile);
            default -> throw new IllegalArgumentException("no browser engine '" + engine + "': chromium, firefox or webkit");
        };
    }

    private static ChromiumPlayer launchEngine(Path webPlayerDir, Path logFile, String engine, String driverModule)
            throws IOException {
        if (!Files.isDirectory(webPlayerDir.resolve("node_modules").resolve(driverModule))) {
            throw new IllegalStateException("build web-player first (npm ci): " + driverModule + " is missing");
        }
        return launch(webPlayerDir, logFile, true, Map.of("TUNNELCAST_BROWSER", engine));
    }

    /** As {@link #launch(Path, Path)}, started as {@code options} say (autoplay allowed). */
    public static ChromiumPlayer launch(Path webPlayerDir, Path logFile, Options options) throws IOException {
        return launch(webPlayerDir, logFile, true, options.environment());
    }

    private static ChromiumPlayer launch(Path webPlayerDir, Path logFile, boolean autoplayAllowed, Map<String, String> env)
            throws IOException {
        Path driver = webPlayerDir.resolve("e2e/driver.mjs");
        if (!Files.isRegularFile(driver) || !Files.isDirectory(webPlayerDir.resolve("node_modules/playwright-core"))) {
            throw new IllegalStateException("build web-player first (npm ci): " + driver);
        }
        Files.createDirectories(logFile.getParent());
        // A child inherits its parent thread's scheduling policy. A JVM thread that had opened
        // SVT-AV1 as root once ran at SCHED_FIFO 99 (now undone by the agent's encoder, see
        // RealtimeSchedulingUndo); Chromium inherited it and its busy threads starved everything
        // else (load average 250 on 2 cores). chrt stays as a second guard: the browser starts
        // at the ordinary policy whatever the calling thread has.
        ProcessBuilder pb = new ProcessBuilder("chrt", "--other", "0", "node", driver.toString()).directory(webPlayerDir.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.environment().put("TUNNELCAST_AUTOPLAY", autoplayAllowed ? "allowed" : "blocked");
        pb.environment().putAll(env);
        ChromiumPlayer browser = new ChromiumPlayer(pb.start());
        browser.awaitReady();
        return browser;
    }

    /**
     * Waits until the browser has started, so that a first command's deadline is not spent on
     * Chromium's start (minutes on a 2-core machine at a load average of 50).
     */
    private void awaitReady() throws IOException {
        try {
            ready.get(BROWSER_START.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            close();
            throw new IOException("Chromium did not start within " + BROWSER_START);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Another tab of this browser (opened by its {@link ChromiumTab#open}); "main" is the one the other methods use. */
    public ChromiumTab tab(String name) {
        return new ChromiumTab(this, name);
    }

    /**
     * CPU time (user + system, seconds) of this browser's renderer processes ({@code --type=renderer}):
     * its pages, their workers and worklets. Processes that ended are not counted.
     */
    public double rendererCpuSeconds() {
        return cpuSeconds(cmdline -> cmdline.contains("--type=renderer"));
    }

    /** CPU time of every process of this browser (browser, renderers, GPU, network, audio), the driver excluded. */
    public double browserCpuSeconds() {
        return cpuSeconds(cmdline -> !cmdline.isEmpty());
    }

    private double cpuSeconds(java.util.function.Predicate<String> which) {
        return node.descendants().filter(p -> which.test(cmdline(p.pid()))).mapToDouble(p -> {
            try {
                return ProcStat.cpuSeconds(p.pid());
            } catch (IOException | RuntimeException gone) {
                return 0; // ended meanwhile
            }
        }).sum();
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException gone) {
            return "";
        }
    }

    /**
     * Sends one command and waits for its answer; a failed command throws with the driver's error.
     * Callers on several threads are served at once (the driver runs their commands concurrently).
     */
    public JsonNode call(String cmd, Map<String, ?> args, Duration timeout) {
        return answer(send(cmd, args), cmd, timeout);
    }

    /** Sends a command; returns what will hold its answer. */
    private Sent send(String cmd, Map<String, ?> args) {
        long id = commandIds.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        if (exited) {
            answer.completeExceptionally(new IllegalStateException(EXITED));
        }
        ObjectNode message = JSON.valueToTree(args);
        message.put("cmd", cmd);
        message.put("id", id);
        try {
            synchronized (commands) {
                commands.write((JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
                commands.flush();
            }
        } catch (IOException e) {
            pending.remove(id);
            throw new UncheckedIOException(e);
        }
        return new Sent(id, answer);
    }

    private record Sent(long id, CompletableFuture<JsonNode> answer) {}

    private JsonNode answer(Sent sent, String cmd, Duration timeout) {
        JsonNode answer;
        try {
            answer = sent.answer().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.remove(sent.id());
            // Which engine process hangs, and whether it sleeps or spins: the failure's one line in CI's log.
            throw new IllegalStateException(cmd + " got no answer within " + timeout + "; the browser's processes: "
                    + ProcessTree.describe(node.toHandle(), 1000));
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (InterruptedException e) {
            pending.remove(sent.id());
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (!answer.path("ok").asBoolean()) {
            throw new IllegalStateException(cmd + " failed: " + answer.path("error").asText());
        }
        return answer;
    }

    public void open(String url) {
        call("open", Map.of("url", url), Duration.ofSeconds(30));
    }

    /**
     * Opens {@code url} in a page whose WebCodecs audio classes ({@code AudioDecoder} and
     * friends) are deleted before any script runs, as in a browser without them.
     *
     * @return {@code typeof AudioDecoder} in the loaded page ({@code "undefined"} when removed)
     */
    public String openWithoutWebCodecsAudio(String url) {
        return call("open", Map.of("url", url, "withoutWebCodecsAudio", true), Duration.ofSeconds(30))
                .path("audioDecoderInPage").asText();
    }

    /**
     * Opens {@code url} in a page whose global {@code names} are deleted before any script
     * runs, as in a browser without them (e.g. {@code MediaStreamTrackProcessor}).
     */
    public void openWithout(String url, java.util.List<String> names) {
        call("open", Map.of("url", url, "withoutGlobals", names), Duration.ofSeconds(30));
    }

    /** Waits until the player's state is one of {@code states} with at least {@code minFrames} shown. */
    public JsonNode waitFor(java.util.List<String> states, int minFrames, Duration timeout) {
        return call("waitFor", Map.of("states", states, "timeoutMs", timeout.toMillis(), "minFrames", minFrames),
                timeout.plusSeconds(10)).path("stats");
    }

    /** Polls a JavaScript expression in the page until it is truthy; returns its value. */
    public JsonNode waitUntil(String expression, Duration timeout) {
        return call("waitUntil", Map.of("expression", expression, "timeoutMs", timeout.toMillis()), timeout.plusSeconds(10))
                .path("value");
    }

    /**
     * Records every state change while {@code action} runs (after a short delay, so that the recording has started),
     * until the player showed "reconnecting", plays again and has shown {@code resumedFrames} frames since; at most
     * {@code atMost}. The answer has {@code changes} and {@code last}.
     */
    public JsonNode watchRecovery(Duration atMost, int resumedFrames, Runnable action) throws InterruptedException {
        Sent watch = send("watch", Map.of("durationMs", atMost.toMillis(), "intervalMs", 25, "resumedFrames", resumedFrames));
        Thread.sleep(300);
        action.run();
        return answer(watch, "watch", atMost.plusSeconds(20));
    }

    /** Clears the player's latency and A/V windows: the percentiles cover what follows. */
    public void resetMeasurements() {
        call("reset", Map.of(), Duration.ofSeconds(10));
    }

    public JsonNode stats() {
        return call("stats", Map.of(), Duration.ofSeconds(10)).path("stats");
    }

    /** Plays for a while; the answer has {@code first}, {@code last} and {@code samples}. */
    public JsonNode collect(Duration duration) {
        return call("collect", Map.of("durationMs", duration.toMillis()), duration.plusSeconds(20));
    }

    public void screenshot(Path file) {
        call("screenshot", Map.of("path", file.toAbsolutePath().toString()), Duration.ofSeconds(30));
    }

    /** A real click on the first element matching {@code selector} (a user gesture). */
    public void click(String selector) {
        call("click", Map.of("selector", selector), Duration.ofSeconds(10));
    }

    /**
     * A real click at a point of the first element matching {@code selector}: {@code xFraction}
     * of its width from the left, at half its height.
     */
    public void clickAt(String selector, double xFraction) {
        call("clickAt", Map.of("selector", selector, "xFraction", xFraction), Duration.ofSeconds(10));
    }

    /** The value of a JavaScript expression in the page (JSON-serializable). */
    public JsonNode evaluate(String expression) {
        return call("eval", Map.of("expression", expression), Duration.ofSeconds(10)).path("value");
    }

    public boolean visible(String selector) {
        return call("visible", Map.of("selector", selector), Duration.ofSeconds(10)).path("visible").asBoolean();
    }

    public String text(String selector) {
        return call("text", Map.of("selector", selector), Duration.ofSeconds(10)).path("text").asText();
    }

    @Override
    public void close() {
        try {
            commands.write("{\"cmd\":\"quit\"}\n".getBytes(StandardCharsets.UTF_8));
            commands.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!node.waitFor(15, TimeUnit.SECONDS)) {
                node.descendants().forEach(ProcessHandle::destroyForcibly);
                node.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            node.destroyForcibly();
        }
    }
}
