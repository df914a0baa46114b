package dev.tunnelcast.bench.codecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tunnelcast.bench.latency.ChromiumPlayer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks Debian's headless Chromium whether it decodes a stream: MSE
 * ({@code MediaSource.isTypeSupported}, fMP4 as the player uses and WebM) and WebCodecs
 * ({@code VideoDecoder.isConfigSupported}, then a real decode of the first packets, counting
 * output frames). The page is served from loopback HTTP: WebCodecs needs a secure context.
 */
final class ChromiumDecodeCheck implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Chromium's answers for one encoded stream. */
    record Verdict(String codecString, boolean mseMp4, boolean mseWebm, boolean webCodecsConfigSupported,
                   int packetsFed, int framesDecoded, String error) {
        boolean webCodecsDecodes() {
            return webCodecsConfigSupported && error == null && framesDecoded == packetsFed && packetsFed > 0;
        }
    }

    private final HttpServer server;
    private final ChromiumPlayer chromium;

    private ChromiumDecodeCheck(HttpServer server, ChromiumPlayer chromium) {
        this.server = server;
        this.chromium = chromium;
    }

    static ChromiumDecodeCheck start(Path webPlayerDir, Path logFile) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] page = "<!doctype html><title>codec check</title>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        server.start();
        try {
            ChromiumPlayer chromium = ChromiumPlayer.launch(webPlayerDir, logFile);
            chromium.open("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            return new ChromiumDecodeCheck(server, chromium);
        } catch (IOException | RuntimeException e) {
            server.stop(0);
            throw e;
        }
    }

    Verdict check(String codecString, byte[] description, List<EncodedStream.Packet> packets, int width, int height)
            throws IOException {
        List<Map<String, Object>> chunks = new ArrayList<>();
        for (EncodedStream.Packet p : packets) {
            chunks.add(Map.of("key", p.key(), "ptsMicros", p.ptsMicros(), "data", Base64.getEncoder().encodeToString(p.data())));
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("codec", codecString);
        input.put("width", width);
        input.put("height", height);
        input.put("description", description.length > 0 ? Base64.getEncoder().encodeToString(description) : null);
        input.put("chunks", chunks);
        String expression = "(" + PAGE_SCRIPT + ")(" + JSON.writeValueAsString(input) + ")";
        JsonNode v = chromium.call("eval", Map.of("expression", expression), Duration.ofSeconds(60)).path("value");
        return new Verdict(codecString, v.path("mseMp4").asBoolean(), v.path("mseWebm").asBoolean(),
                v.path("configSupported").asBoolean(), packets.size(), v.path("frames").asInt(),
                v.path("error").isNull() ? null : v.path("error").asText());
    }

    /** Runs in the page: support queries, then decode every chunk and count the frames that come out. */
    private static final String PAGE_SCRIPT = """
            async (input) => {
              const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
              const mse = (type) => typeof MediaSource !== 'undefined' && MediaSource.isTypeSupported(type);
              const out = { mseMp4: mse(`video/mp4; codecs="${input.codec}"`),
                            mseWebm: mse(`video/webm; codecs="${input.codec}"`),
                            configSupported: false, frames: 0, error: null };
              if (typeof VideoDecoder === 'undefined') { out.error = 'no VideoDecoder'; return out; }
              const config = { codec: input.codec, codedWidth: input.width, codedHeight: input.height };
              if (input.description) config.description = bytes(input.description);
              try {
                out.configSupported = (await VideoDecoder.isConfigSupported(config)).supported === true;
                if (!out.configSupported) return out;
                const decoder = new VideoDecoder({
                  output: (frame) => { out.frames++; frame.close(); },
                  error: (e) => { out.error = out.error ?? String(e); },
                });
                decoder.configure(config);
                for (const c of input.chunks) {
                  decoder.decode(new EncodedVideoChunk({ type: c.key ? 'key' : 'delta', timestamp: c.ptsMicros, data: bytes(c.data) }));
                }
                await decoder.flush();
                decoder.close();
              } catch (e) {
                out.error = out.error ?? String(e);
              }
              return out;
            }""";

    @Override
    public void close() {
        try {
            chromium.close();
        } finally {
            server.stop(0);
        }
    }
}
