package dev.tunnelcast.bench.call;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tunnelcast.bench.harness.MachineInfo;
import dev.tunnelcast.bench.latency.ChromiumPlayer;
import dev.tunnelcast.server.Relay;
import dev.tunnelcast.server.RelayConfig;
import dev.tunnelcast.server.auth.TokenAuthority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Two-way calls between browsers on loopback: the relay in this JVM, one headless Chromium
 * per participant whose fake camera and microphone play files made with FFmpeg (the frame
 * stamp as an identifier, beeps; {@link CallMedia}), each page the real call page
 * ({@code #/call/{room}}). For each picture size and number of participants, {@code --repeats}
 * calls, each in a new room with the pages opened anew, measured for {@code --seconds} after
 * a warm-up: glass-to-glass per direction (a stamp's capture on one page to its display on
 * another, both on the relay clock), mouth-to-ear (a beep's capture to its arrival at the
 * other page's audio output), the A/V offset, CPU per participant's page, and where the time
 * goes (see {@link CallRun}).
 */
@Command(name = "call-bench", mixinStandardHelpOptions = true,
        description = "Measures browser-to-browser calls in headless Chromium: glass-to-glass, mouth-to-ear, A/V, CPU per page.")
public final class CallBench implements Callable<Integer> {

    private static final List<String> NAMES = List.of("ann", "bob", "cat", "dan", "eve", "fay", "gus", "hal");

    @Option(names = "--participants", split = ",", defaultValue = "2,4",
            description = "Participants per call, each in its own browser (default: ${DEFAULT-VALUE}).")
    List<Integer> participants;

    @Option(names = "--sizes", split = ",", defaultValue = "640x360,1280x720",
            description = "Camera sizes WxH (default: ${DEFAULT-VALUE}).")
    List<String> sizes;

    @Option(names = "--fps", defaultValue = "30", description = "Camera frame rate (default: ${DEFAULT-VALUE}).")
    int fps;

    @Option(names = "--seconds", defaultValue = "20", description = "Measured seconds per call (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--repeats", defaultValue = "3", description = "Calls per configuration (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--warmup", defaultValue = "5",
            description = "Seconds between everyone playing and the measurement (default: ${DEFAULT-VALUE}).")
    int warmUpSeconds;

    @Option(names = "--shared-browser",
            description = "All participants as tabs of one browser (lighter; CPU per page is then its share), not one each.")
    boolean sharedBrowser;

    @Option(names = "--page-options", defaultValue = "",
            description = "More of the call page's options, e.g. video=webcodecs or latency=20-400 (default: none).")
    String pageOptions;

    @Option(names = "--out", description = "Results folder (default: bench/results/<date>).")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CallBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int most = Collections.max(participants);
        if (most > NAMES.size() || Collections.min(participants) < 2) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--participants: 2 to " + NAMES.size());
        }
        String command = "bench/run call --participants " + join(participants) + " --sizes " + String.join(",", sizes) + " --fps " + fps
                + " --seconds " + seconds + " --repeats " + repeats + " --warmup " + warmUpSeconds
                + (sharedBrowser ? " --shared-browser" : "") + (pageOptions.isEmpty() ? "" : " --page-options " + pageOptions);
        Path results = out != null ? out : Path.of("bench", "results", LocalDate.now().toString());
        Files.createDirectories(results);
        Path webPlayer = Path.of("web-player").toAbsolutePath();
        Path media = Files.createDirectories(Path.of("bench", "target", "call-media").toAbsolutePath());
        String loadAtStart = MachineInfo.loadAverage();
        String secret = "call-bench-" + System.nanoTime();
        TokenAuthority tokens = new TokenAuthority(secret);
        RelayArrivals arrivals = new RelayArrivals();

        List<Map<String, Object>> configurations = new ArrayList<>();
        RelayConfig relayConfig = RelayConfig.builder().bindAddress("127.0.0.1").port(0).tokenSecret(secret).maxRoomSize(most).build();
        try (Relay relay = Relay.start(relayConfig)) {
            relay.addObserver(arrivals);
            Path microphone = CallMedia.microphone(media);
            for (String size : sizes) {
                String[] wh = size.toLowerCase(Locale.ROOT).split("x");
                int width = Integer.parseInt(wh[0]);
                int height = Integer.parseInt(wh[1]);
                for (int n : participants) {
                    System.out.printf(Locale.ROOT, "call: %d participants at %s, %d fps (load %s)%n", n, size, fps,
                            MachineInfo.loadAverage());
                    Map<String, ChromiumPlayer> browsers = new LinkedHashMap<>();
                    List<Map<String, Object>> runs = new ArrayList<>();
                    try {
                        ChromiumPlayer shared = null;
                        for (int i = 0; i < n; i++) {
                            if (shared != null) {
                                browsers.put(NAMES.get(i), shared);
                                continue;
                            }
                            Path camera = CallMedia.camera(media, width, height, fps, (i + 1) * 100_000L);
                            Path log = Path.of("bench", "target", "call-chromium-" + i + ".log");
                            ChromiumPlayer browser = ChromiumPlayer.launch(webPlayer, log,
                                    ChromiumPlayer.Options.defaults().withFakeMedia(camera, microphone));
                            browsers.put(NAMES.get(i), browser);
                            shared = sharedBrowser ? browser : null;
                        }
                        for (int r = 0; r < repeats; r++) {
                            String room = String.format(Locale.ROOT, "bench-%dp-%d-r%d", n, height, r + 1);
                            String token = tokens.mintJoin(room, null, Instant.now().plus(Duration.ofHours(2)));
                            Map<String, String> links = new LinkedHashMap<>();
                            for (String p : browsers.keySet()) {
                                links.put(p, CallPage.link("http://127.0.0.1:" + relay.port(), room, p, token, size, fps, pageOptions));
                            }
                            System.out.printf(Locale.ROOT, " run %d/%d (room %s)%n", r + 1, repeats, room);
                            try {
                                runs.add(CallRun.measure(links, browsers, relay.config().clock(), arrivals, room, seconds,
                                        Duration.ofSeconds(warmUpSeconds)));
                            } catch (IllegalStateException failed) {
                                // A call that never settled (a page that stopped answering on an overloaded machine) is
                                // reported as such; the configurations after it still run, in fresh browsers.
                                System.out.println(" run failed: " + failed.getMessage().lines().findFirst().orElse(""));
                                runs.add(Map.of("room", room, "failed", failed.getMessage().lines().findFirst().orElse(""),
                                        "loadAverageAfter", MachineInfo.loadAverage()));
                                break;
                            }
                        }
                    } finally {
                        browsers.values().stream().distinct().forEach(ChromiumPlayer::close);
                    }
                    Map<String, Object> configuration = new LinkedHashMap<>();
                    configuration.put("participants", n);
                    configuration.put("size", size);
                    configuration.put("fps", fps);
                    configuration.put("runs", runs);
                    configurations.add(configuration);
                }
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "call");
        report.put("command", command);
        report.put("date", Instant.now().toString());
        report.put("machine", Map.of("cpus", Runtime.getRuntime().availableProcessors(), "description", MachineInfo.describe(),
                "loadAverageAtStart", loadAtStart, "loadAverageAtEnd", MachineInfo.loadAverage()));
        report.put("measuredSecondsPerRun", seconds);
        report.put("repeats", repeats);
        report.put("pageOptions", pageOptions);
        report.put("configurations", configurations);
        Path file = results.resolve("call.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
        Path section = CallReport.write(results);
        System.out.println("wrote " + file + " and " + section + "\ncommand: " + command);
        return 0;
    }

    private static String join(List<Integer> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }
}
