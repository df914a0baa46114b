package dev.tunnelcast.server.testing;

import dev.tunnelcast.server.Relay;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A WebSocket upgrade request with headers of the test's choosing, over a {@link RawSocket},
 * and the relay's answer as it is on the wire: the status, every header, and the body of a
 * refusal. For what the JDK client hides or refuses to send (the {@code Origin} header, the raw 101).
 */
public final class RawHandshake {

    /** The answer: status, headers by lower-case name, the body (empty for a 101). */
    public record Answer(int status, Map<String, List<String>> headers, String body) {
        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? Optional.empty() : Optional.of(values.get(0));
        }
    }

    private RawHandshake() {}

    /** Sends an upgrade for {@code pathAndQuery} with {@code Host: 127.0.0.1:port} and extra header lines ("Origin: …"). */
    public static Answer upgrade(Relay relay, String pathAndQuery, String... headerLines) {
        StringBuilder request = new StringBuilder("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(relay.port()).append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        try (RawSocket socket = new RawSocket(relay, Duration.ofSeconds(10))) {
            if (!socket.write(request.append("\r\n").toString())) {
                throw new AssertionError("the relay closed the connection during the request");
            }
            String[] lines = socket.readResponseHead().split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, List<String>> headers = new TreeMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
            List<String> length = headers.get("content-length");
            String body = status == 101 || length == null ? ""
                    : new String(socket.readBytes(Integer.parseInt(length.get(0))), StandardCharsets.UTF_8);
            return new Answer(status, headers, body);
        }
    }
}
