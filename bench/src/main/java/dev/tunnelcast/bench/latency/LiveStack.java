package dev.tunnelcast.bench.latency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunnelcast.agent.Agent;
import dev.tunnelcast.agent.AgentConfig;
import dev.tunnelcast.agent.encode.LayerSpec;
import dev.tunnelcast.agent.encode.OpusSettings;
import dev.tunnelcast.agent.encode.VideoEncoderSettings;
import dev.tunnelcast.agent.publish.PublisherConfig;
import dev.tunnelcast.agent.publish.TlsSettings;
import dev.tunnelcast.server.Relay;
import dev.tunnelcast.server.RelayConfig;
import dev.tunnelcast.server.archive.ArchiveConfig;
import dev.tunnelcast.server.auth.Action;
import dev.tunnelcast.server.auth.TokenAuthority;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A live pipeline in this JVM for end-to-end tests and the latency benchmark: a relay on
 * loopback (a free port, kept across {@link #restartRelay()}) with tokens required, and
 * capture agents publishing the synthetic camera and microphone (frame stamp on); optionally
 * recording every stream into a directory.
 */
public final class LiveStack implements AutoCloseable {

    /** The synthetic source's encoding and the relay's grace period. */
    public record Options(int width, int height, int frameRate, int videoBitrateBps, Duration gracePeriod) {
        public static Options of720p() {
            return new Options(1280, 720, 30, 2_500_000, Duration.ofSeconds(15));
        }
    }

    private final Options options;
    /** Where the relay records (docs/recording.md), or null: no recording. */
    private final Path recordDir;
    /** More relay settings, applied at every start. */
    private final UnaryOperator<RelayConfig.Builder> relaySettings;
    private final String secret = "tunnelcast-e2e-" + System.nanoTime();
    private final TokenAuthority tokens = new TokenAuthority(secret);
    private final Map<String, Agent> agents = new LinkedHashMap<>();
    /** How long an agent may take to start and go live (JavaCPP's first load of FFmpeg, on a busy machine). */
    private static final Duration LIVE_DEADLINE = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private Relay relay;
    private int port;

    private LiveStack(Options options, Path recordDir, UnaryOperator<RelayConfig.Builder> relaySettings) {
        this.options = options;
        this.recordDir = recordDir;
        this.relaySettings = relaySettings;
    }

    public static LiveStack start(Options options) {
        return start(options, null);
    }

    /** As {@link #start(Options)}, with the relay recording every stream into {@code recordDir} (null: off). */
    public static LiveStack start(Options options, Path recordDir) {
        return start(options, recordDir, UnaryOperator.identity());
    }

    /** As {@link #start(Options, Path)}, with more relay settings ({@code relay}: applied to the relay's builder, at every start). */
    public static LiveStack start(Options options, Path recordDir, UnaryOperator<RelayConfig.Builder> relay) {
        LiveStack stack = new LiveStack(options, recordDir, relay);
        stack.relay = Relay.start(stack.relayConfig(0));
        stack.port = stack.relay.port();
        return stack;
    }

    private RelayConfig relayConfig(int bindPort) {
        return relaySettings.apply(RelayConfig.builder().bindAddress("127.0.0.1").port(bindPort).tokenSecret(secret)
                .gracePeriod(options.gracePeriod())
                .archive(recordDir == null ? null : ArchiveConfig.defaults(recordDir))).build();
    }

    public int port() {
        return port;
    }

    public Relay relay() {
        return relay;
    }

    /** A token for one action on one stream, valid for an hour. */
    public String token(Action action, String stream) {
        return tokens.mint(action, stream, Instant.now().plus(Duration.ofHours(1)));
    }

    /** A join token for one participant of a room, valid for an hour. */
    public String joinToken(String room, String participant) {
        return tokens.mintJoin(room, participant, Instant.now().plus(Duration.ofHours(1)));
    }

    /** The player page for a stream, with a play token and extra query parameters ("video=webcodecs"). */
    public URI playerUrl(String stream, String token, String extraQuery) {
        return pageUrl("play", stream, token, extraQuery);
    }

    /** The browser publisher's page for a stream, with a publish token and extra query parameters ("size=640x360"). */
    public URI publishUrl(String stream, String token, String extraQuery) {
        return pageUrl("publish", stream, token, extraQuery);
    }

    private URI pageUrl(String route, String stream, String token, String extraQuery) {
        String query = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                + (extraQuery.isEmpty() ? "" : "&" + extraQuery);
        return URI.create("http://127.0.0.1:" + port + "/?" + query + "#/" + route + "/" + stream);
    }

    /** The player's archive page of a stream, with a play token (the archive API needs one, as the live stream does). */
    public URI archiveUrl(String stream, String token) {
        return URI.create("http://127.0.0.1:" + port + "/?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                + "#/archive/" + stream);
    }

    /** Starts an agent publishing the synthetic source to a stream. */
    public Agent publish(String stream) {
        return publish(stream, VideoEncoderSettings.defaults().encoder(), options.width(), options.height());
    }

    /**
     * As {@link #publish(String)}, with another FFmpeg video encoder (libvpx, libvpx-vp9,
     * libsvtav1, ...) and size. Returns once the relay has the stream live with its video
     * track, so that what a caller checks next (a player) does not also wait for the agent's
     * start, which a busy machine can stretch to many seconds.
     */
    public Agent publish(String stream, String encoder, int width, int height) {
        Agent agent = publish(stream, encoder, width, height, port, false, List.of());
        awaitLive(stream, LIVE_DEADLINE);
        return agent;
    }

    /**
     * As {@link #publish(String)}, as a simulcast track of {@code layers} (the agent's
     * {@code --layers}; the first is the size captured, the options' bitrate is not used).
     */
    public Agent publishLayers(String stream, List<LayerSpec> layers) {
        LayerSpec top = layers.get(0);
        Agent agent = publish(stream, VideoEncoderSettings.defaults().encoder(), top.width(), top.height(), port, false, layers);
        awaitLive(stream, LIVE_DEADLINE);
        return agent;
    }

    /** Waits until the relay reports {@code stream} live with a video track ({@code GET /api/streams/{stream}}). */
    public void awaitLive(String stream, Duration deadline) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/streams/" + stream))
                .header("Authorization", "Bearer " + token(Action.PLAY, stream)).build();
        Instant end = Instant.now().plus(deadline);
        String last = "no answer";
        while (Instant.now().isBefore(end)) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                last = response.statusCode() + " " + response.body();
                JsonNode json = response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
                if (json != null && json.path("state").asText().equals("live")) {
                    for (JsonNode track : json.path("tracks")) {
                        if (track.path("kind").asText().equals("video")) {
                            return;
                        }
                    }
                }
                Thread.sleep(100);
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + stream, e);
            }
        }
        throw new IllegalStateException("stream " + stream + " not live with video after " + deadline + "; last answer: " + last);
    }

    /**
     * As {@link #publish(String)}, connecting to {@code relayPort} on loopback (a proxy in
     * front of the relay, say), with {@code --adaptive} bitrate on or off.
     */
    public Agent publish(String stream, int relayPort, boolean adaptive) {
        return publish(stream, VideoEncoderSettings.defaults().encoder(), options.width(), options.height(), relayPort, adaptive,
                List.of());
    }

    private Agent publish(String stream, String encoder, int width, int height, int relayPort, boolean adaptive,
                          List<LayerSpec> layers) {
        PublisherConfig publisher = new PublisherConfig(URI.create("ws://127.0.0.1:" + relayPort), stream,
                token(Action.PUBLISH, stream), null, TlsSettings.defaults(), 8L << 20, Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2),
                "tunnelcast-bench");
        VideoEncoderSettings defaults = VideoEncoderSettings.defaults();
        VideoEncoderSettings video = new VideoEncoderSettings(encoder, width, height,
                options.frameRate(), options.videoBitrateBps(), 0, defaults.preset(), defaults.profile(), defaults.level(),
                2 * options.frameRate(), 0);
        Agent agent = new Agent(AgentConfig.builder(publisher).videoEncoder(video).opus(OpusSettings.defaults())
                .layers(layers).stampFrames(true).adaptive(adaptive).build()).start();
        agents.put(stream, agent);
        return agent;
    }

    /** Stops a stream's agent (it sends EndOfStream). */
    public void stopPublishing(String stream) {
        Agent agent = agents.remove(stream);
        if (agent != null) {
            agent.close();
        }
    }

    /** Stops the relay (clients see 1001) and starts a new one on the same port. */
    public void restartRelay() {
        relay.close();
        relay = Relay.start(relayConfig(port));
    }

    @Override
    public void close() {
        agents.values().forEach(Agent::close);
        agents.clear();
        if (relay != null) {
            relay.close();
        }
    }
}
