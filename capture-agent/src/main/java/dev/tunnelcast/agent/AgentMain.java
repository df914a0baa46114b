package dev.tunnelcast.agent;

import dev.tunnelcast.agent.capture.CaptureException;
import dev.tunnelcast.agent.capture.DeviceCatalog;
import dev.tunnelcast.agent.capture.SourceSpec;
import dev.tunnelcast.agent.encode.EncoderException;
import dev.tunnelcast.agent.encode.LayerSpec;
import dev.tunnelcast.agent.encode.OpusSettings;
import dev.tunnelcast.agent.encode.VideoEncoderSettings;
import dev.tunnelcast.agent.encode.VideoEncoders;
import dev.tunnelcast.agent.publish.ProxySettings;
import dev.tunnelcast.agent.publish.PublisherConfig;
import dev.tunnelcast.agent.publish.TlsSettings;
import dev.tunnelcast.wire.RoomName;
import dev.tunnelcast.wire.StreamName;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/** The command line of the capture agent ({@code java -jar tunnelcast-agent.jar --help}). */
@Command(name = "tunnelcast-agent", mixinStandardHelpOptions = true, sortOptions = false,
        version = "tunnelcast-agent 0.1",
        description = {
            "Captures a camera and a microphone (or a test source, a media file, an RTSP,",
            "RTMP or SRT stream), encodes H.264 + Opus and publishes them to a Tunnelcast",
            "relay over one WebSocket, through HTTP proxies if need be.",
            "",
            "Examples:",
            "  # the test pattern and tone",
            "  tunnelcast-agent --relay ws://localhost:8080 --stream cam1",
            "  # a camera and a microphone",
            "  tunnelcast-agent --relay wss://relay.example.com --stream cam1 --token T \\",
            "      --video v4l2:/dev/video0 --audio pulse:default",
            "  # an IP camera through the corporate proxy",
            "  tunnelcast-agent --relay wss://relay.example.com --stream door --token T \\",
            "      --input rtsp://cam.lan/stream1 --proxy http://proxy.corp:3128 \\",
            "      --proxy-user alice",
            "  # the camera of a meeting room, in the call of room 'weekly' (a join token)",
            "  tunnelcast-agent --relay wss://relay.example.com --room weekly \\",
            "      --participant room-4b --display-name 'Meeting room 4B' --token J \\",
            "      --video v4l2:/dev/video0 --audio pulse:default",
            "  tunnelcast-agent --list-devices",
            ""},
        footer = {"", "SOURCE: synthetic | v4l2:/dev/videoN | alsa:hw:0 | pulse:default | x11grab::0.0",
            "        | lavfi:GRAPH | file:PATH (looped, paced) | rtsp://… rtmp://… srt://…",
            dev.tunnelcast.wire.Units.HELP_SIZES, dev.tunnelcast.wire.Units.HELP_RATES_AND_DURATIONS,
            "Proxies: --proxy, else https_proxy (wss) / http_proxy (ws), honouring no_proxy.",
            "Exit codes: 0 clean stop, 1 bad option, 2 a source or encoder could not be",
            "opened, 3 stopped by an error. More in docs/agent.md."})
public final class AgentMain implements Callable<Integer> {

    static final String DEFAULT_STREAM = "cam1";

    @Spec
    CommandSpec spec;

    @Option(names = "--relay", paramLabel = "URL", split = ",", description = "Relay URL, ws:// or wss:// (http(s):// works too; default: ${DEFAULT-VALUE}). Several (repeated or comma-separated, e.g. a cluster's nodes): a lost connection moves to the next.", defaultValue = "ws://127.0.0.1:8080")
    List<String> relays;

    @Option(names = "--stream", paramLabel = "NAME", description = "Stream name (default: " + DEFAULT_STREAM + "; not with --room).")
    String stream;

    @Option(names = "--room", paramLabel = "ROOM", description = "Join this room's call as a publish-only participant: publishes the stream ROOM.PARTICIPANT (default: $TUNNELCAST_ROOM).", defaultValue = "${env:TUNNELCAST_ROOM}")
    String room;

    @Option(names = "--participant", paramLabel = "ID", description = "The participant id in --room (default: $TUNNELCAST_PARTICIPANT).", defaultValue = "${env:TUNNELCAST_PARTICIPANT}")
    String participant;

    @Option(names = "--display-name", paramLabel = "TEXT", description = "The name the room's participants see, at most 64 characters (default: $TUNNELCAST_DISPLAY_NAME, else the participant id).", defaultValue = "${env:TUNNELCAST_DISPLAY_NAME}")
    String displayName;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Publish token, or with --room a join token (default: $TUNNELCAST_TOKEN).", defaultValue = "${env:TUNNELCAST_TOKEN}")
    String token;

    @Option(names = "--video", paramLabel = "SOURCE", description = "Video source (default: ${DEFAULT-VALUE}).", defaultValue = "synthetic")
    String video;

    @Option(names = "--audio", paramLabel = "SOURCE", description = "Audio source (default: ${DEFAULT-VALUE}).", defaultValue = "synthetic")
    String audio;

    @Option(names = "--input", paramLabel = "FILE|URL", description = "One file or URL with both video and audio; replaces --video/--audio.")
    String input;

    @Option(names = "--no-video", description = "Publish audio only.")
    boolean noVideo;

    @Option(names = "--no-audio", description = "Publish video only.")
    boolean noAudio;

    @Option(names = "--list-devices", description = "List capture devices and exit.")
    boolean listDevices;

    @Option(names = "--size", paramLabel = "WxH", description = "Video size WxH (default: ${DEFAULT-VALUE}).", defaultValue = "1280x720")
    String size;

    @Option(names = "--fps", paramLabel = "N", description = "Frame rate (default: ${DEFAULT-VALUE}).", defaultValue = "30")
    int fps;

    @Option(names = "--codec", paramLabel = "NAME", description = "Video codec: h264, vp8, vp9, av1 (default: h264, or the --encoder's codec).")
    String codec;

    @Option(names = "--encoder", paramLabel = "NAME", description = "FFmpeg video encoder: libx264, libopenh264 (h264), libvpx (vp8), libvpx-vp9 (vp9), libsvtav1 (av1) (default: the codec's first).")
    String encoder;

    @Option(names = "--preset", paramLabel = "NAME", description = "x264 preset, e.g. ultrafast, veryfast; for vp8/vp9 the libvpx cpu-used, for av1 the SVT-AV1 preset, as a number (default: ${DEFAULT-VALUE}; a name means the encoder's realtime default).", defaultValue = "ultrafast")
    String preset;

    @Option(names = "--profile", paramLabel = "NAME", description = "H.264 profile: baseline, main, high (default: ${DEFAULT-VALUE}).", defaultValue = "high")
    String profile;

    @Option(names = "--level", paramLabel = "LEVEL", description = "H.264 level, e.g. 3.1 (default: chosen by the encoder).", defaultValue = "")
    String level;

    @Option(names = "--bitrate", paramLabel = "RATE", converter = Units.Bitrate.class, description = "Video bitrate in bit/s, e.g. 2500k, 2.5M (default: ${DEFAULT-VALUE}).", defaultValue = "2500k")
    int bitrate;

    @Option(names = "--crf", paramLabel = "N", description = "Constant quality (x264 CRF) instead of a bitrate; 0 = off.", defaultValue = "0")
    int crf;

    @Option(names = "--keyframe-interval", paramLabel = "FRAMES", description = "Frames between keyframes (default: 2 s of frames).")
    Integer keyframeInterval;

    @Option(names = "--layers", paramLabel = "WxH@RATE,...", converter = Units.Layers.class,
            description = "Simulcast: encode the video once per layer, e.g. 1280x720@2500k,640x360@700k,320x180@200k "
                    + "(2 to 4, top first, heights falling; replaces --size and --bitrate); the relay gives each player the "
                    + "layer its link carries.")
    List<LayerSpec> layers;

    @Option(names = "--adaptive", description = "Lower the video bitrate when the uplink cannot keep up.")
    boolean adaptive;

    @Option(names = "--stamp", negatable = true, description = "Draw the frame stamp and clock (default: on for the synthetic source).")
    Boolean stamp;

    @Option(names = "--audio-channels", paramLabel = "N", description = "1 or 2 (default: ${DEFAULT-VALUE}).", defaultValue = "2")
    int audioChannels;

    @Option(names = "--audio-bitrate", paramLabel = "RATE", converter = Units.Bitrate.class, description = "Opus bitrate in bit/s (default: ${DEFAULT-VALUE}).", defaultValue = "96k")
    int audioBitrate;

    @Option(names = "--audio-frame", paramLabel = "MS", description = "Opus frame in ms: 10, 20, 40, 60 (default: ${DEFAULT-VALUE}).", defaultValue = "20")
    int audioFrameMillis;

    @Option(names = "--opus-complexity", paramLabel = "N", description = "0..10; 5 costs ~0.6%% of a core, 8-10 about 1%% (default: ${DEFAULT-VALUE}).", defaultValue = "5")
    int opusComplexity;

    @Option(names = "--opus-fec", description = "Opus in-band forward error correction.")
    boolean opusFec;

    @Option(names = "--opus-dtx", description = "Opus discontinuous transmission (silence costs nothing).")
    boolean opusDtx;

    @Option(names = "--proxy", paramLabel = "URL", description = "HTTP CONNECT proxy, http://[user:pass@]host:port (default: from https_proxy/http_proxy).")
    String proxy;

    @Option(names = "--proxy-user", paramLabel = "USER", description = "Proxy user name.")
    String proxyUser;

    @Option(names = "--proxy-password", paramLabel = "PASSWORD", description = "Proxy password (default: $TUNNELCAST_PROXY_PASSWORD).", defaultValue = "${env:TUNNELCAST_PROXY_PASSWORD}")
    String proxyPassword;

    @Option(names = "--ca-cert", paramLabel = "PEM", description = "PEM certificate(s) to trust for wss:// (e.g. the relay's self-signed cert).")
    Path caCert;

    @Option(names = "--truststore", paramLabel = "FILE", description = "PKCS12/JKS trust store for wss://.")
    Path trustStore;

    @Option(names = "--truststore-password", paramLabel = "PASSWORD", description = "Trust store password.")
    String trustStorePassword;

    @Option(names = "--insecure", description = "Accept any TLS certificate (testing only).")
    boolean insecure;

    @Option(names = "--send-queue-bytes", paramLabel = "SIZE", converter = Units.Bytes.class, description = "Send queue bound in bytes, e.g. 512KiB, 2MiB, 2MB (default: ${DEFAULT-VALUE}).", defaultValue = "2MiB")
    long sendQueueBytes;

    @Option(names = "--send-queue-age", paramLabel = "DURATION", converter = Units.Time.class, description = "Send queue bound in age, e.g. 500ms, 1.5s (default: ${DEFAULT-VALUE}).", defaultValue = "1s")
    Duration sendQueueAge;

    @Option(names = "--reconnect-max", paramLabel = "DURATION", converter = Units.Time.class, description = "Longest wait between reconnects (default: ${DEFAULT-VALUE}).", defaultValue = "10s")
    Duration reconnectMax;

    @Option(names = "--status-interval", paramLabel = "DURATION", converter = Units.Time.class, description = "Time between status log lines when not on a terminal, whole seconds, at least 1s (default: ${DEFAULT-VALUE}).", defaultValue = "10s")
    Duration statusInterval;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests and the demo). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new AgentMain());
        cli.getCommandSpec().exitCodeOnInvalidInput(1);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return e instanceof CaptureException || e instanceof EncoderException ? 2
                    : e instanceof IllegalArgumentException ? 1 : 3;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (listDevices) {
            for (String format : DeviceCatalog.FORMATS) {
                List<String> devices = DeviceCatalog.list(format);
                System.out.println((format.equals("video4linux2") ? "v4l2" : format) + ":"
                        + (devices.isEmpty() ? " (none)" : ""));
                devices.forEach(d -> System.out.println("  " + d));
            }
            return 0;
        }
        Agent agent = new Agent(buildConfig());
        try {
            agent.start();
        } catch (CaptureException | EncoderException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        // SIGINT and SIGTERM are the clean stop (exit 0): handled here, as the JVM's default
        // would end it from a shutdown hook with 130 / 143. The hook covers any other exit.
        CompletableFuture<String> stopSignal = new CompletableFuture<>();
        for (String name : List.of("INT", "TERM")) {
            Signal.handle(new Signal(name), signal -> stopSignal.complete("SIG" + signal.getName()));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "shutdown"));
        try (StatusReporter status = new StatusReporter(agent, System.console() != null, System.out,
                statusInterval.toSeconds())) {
            Object end = CompletableFuture.anyOf(agent.failure(), stopSignal).join();
            status.close();
            agent.close();
            if (end instanceof Exception failure) {
                System.err.println("error: " + failure.getMessage());
                return 3;
            }
            return 0;
        }
    }

    AgentConfig buildConfig() {
        String streamName = streamName(); // before anything is opened, with the rule in the message
        // The relay's page address works too: http(s):// is the same port as ws(s)://.
        List<URI> relayUris = relays.stream().map(String::trim).filter(r -> !r.isEmpty())
                .map(r -> URI.create(r.replaceFirst("^http://", "ws://").replaceFirst("^https://", "wss://"))).toList();
        if (relayUris.isEmpty()) {
            throw new IllegalArgumentException("--relay needs a URL");
        }
        int[] wh;
        try {
            wh = Arrays.stream(size.toLowerCase(java.util.Locale.ROOT).split("x")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            wh = new int[0];
        }
        if (wh.length != 2) {
            throw new IllegalArgumentException("--size must be WxH, e.g. 1280x720, got '" + size + "'");
        }
        VideoEncoders.Codec videoCodec = codec != null ? VideoEncoders.Codec.parse(codec)
                : encoder != null ? VideoEncoders.Codec.ofEncoder(encoder) : VideoEncoders.Codec.H264;
        String encoderName = encoder != null ? encoder : videoCodec.defaultEncoder();
        if (!videoCodec.encoders().contains(encoderName)) {
            throw new IllegalArgumentException("--encoder " + encoderName + " does not produce " + videoCodec.name().toLowerCase(java.util.Locale.ROOT) + " (use one of "
                    + videoCodec.encoders() + ")");
        }
        VideoEncoderSettings videoSettings = new VideoEncoderSettings(encoderName, wh[0], wh[1], fps,
                crf > 0 ? 0 : bitrate, crf, preset, profile, level,
                keyframeInterval != null ? keyframeInterval : 2 * fps, 0);
        OpusSettings opus = new OpusSettings(audioChannels, audioFrameMillis, audioBitrate,
                opusComplexity, opusFec, opusDtx);
        ProxySettings proxySettings = proxy != null ? ProxySettings.parse(proxy, List.of())
                : ProxySettings.fromEnvironment(System.getenv(), relayUris.get(0));
        if (proxySettings != null && proxyUser != null) {
            proxySettings = new ProxySettings(proxySettings.host(), proxySettings.port(), proxyUser,
                    proxyPassword == null ? "" : proxyPassword, proxySettings.noProxy());
        }
        TlsSettings tls = new TlsSettings(caCert, trustStore, trustStorePassword, insecure);
        PublisherConfig publisher = new PublisherConfig(relayUris, streamName, token, proxySettings, tls,
                sendQueueBytes, sendQueueAge, Duration.ofSeconds(5),
                Duration.ofMillis(200), reconnectMax, Duration.ofSeconds(2),
                "tunnelcast-agent", displayName);
        if (layers != null) {
            for (String replaced : List.of("--size", "--bitrate")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(replaced)) {
                    throw new IllegalArgumentException(replaced + " and --layers do not go together: each layer has its size and bitrate");
                }
            }
        }
        AgentConfig.Builder b = AgentConfig.builder(publisher).videoEncoder(videoSettings).opus(opus).adaptive(adaptive)
                .layers(layers == null ? List.of() : layers);
        if (input != null) {
            b.input(SourceSpec.parse(input));
        } else {
            b.video(noVideo ? null : SourceSpec.parse(video)).audio(noAudio ? null : SourceSpec.parse(audio));
        }
        if (stamp != null) {
            b.stampFrames(stamp);
        }
        return b.build();
    }

    /** {@code --stream}, or the stream of {@code --room}/{@code --participant}; the display name only with a room. */
    private String streamName() {
        // an empty variable (`export TUNNELCAST_ROOM=`) means none, as an unset one
        room = emptyToNull(room);
        participant = emptyToNull(participant);
        displayName = emptyToNull(displayName);
        if (room == null) {
            if (participant != null || displayName != null) {
                throw new IllegalArgumentException((participant != null ? "--participant" : "--display-name")
                        + " needs --room (or $TUNNELCAST_ROOM)");
            }
            return StreamName.require(stream == null ? DEFAULT_STREAM : stream);
        }
        if (stream != null) {
            throw new IllegalArgumentException("--stream and --room are mutually exclusive: a room's participant publishes"
                    + " the stream ROOM.PARTICIPANT");
        }
        if (participant == null) {
            throw new IllegalArgumentException("--room needs --participant (or $TUNNELCAST_PARTICIPANT)");
        }
        return new RoomName(room, participant).stream();
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
