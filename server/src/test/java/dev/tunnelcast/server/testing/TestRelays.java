package dev.tunnelcast.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.proto.v1.StatusCode;
import dev.tunnelcast.server.Relay;
import dev.tunnelcast.server.RelayConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Relays on 127.0.0.1 port 0 and the connections tests make to them. */
public final class TestRelays {

    private TestRelays() {}

    public static RelayConfig.Builder config() {
        return RelayConfig.builder().bindAddress("127.0.0.1").port(0).ioThreads(2).workerThreads(2);
    }

    public static URI publishUri(Relay relay, String stream) {
        return URI.create("ws://127.0.0.1:" + relay.port() + "/ws/publish/" + stream);
    }

    public static URI playUri(Relay relay, String stream) {
        return URI.create("ws://127.0.0.1:" + relay.port() + "/ws/play/" + stream);
    }

    /** A publisher past Hello/Welcome. */
    public static WsClient publisher(Relay relay, String stream) {
        WsClient client = WsClient.connect(publishUri(relay, stream));
        client.send(Messages.hello(Role.ROLE_PUBLISHER));
        Envelope welcome = client.next().envelope();
        if (welcome.getKindCase() != Envelope.KindCase.WELCOME) {
            throw new AssertionError("expected Welcome, got " + welcome);
        }
        return client;
    }

    /** A player past Hello, Welcome and the first Status (returned for inspection by {@link #player}). */
    public static WsClient player(Relay relay, String stream) {
        WsClient client = WsClient.connect(playUri(relay, stream));
        client.send(Messages.hello(Role.ROLE_PLAYER));
        Envelope welcome = client.next().envelope();
        if (welcome.getKindCase() != Envelope.KindCase.WELCOME) {
            throw new AssertionError("expected Welcome, got " + welcome);
        }
        Envelope status = client.next().envelope();
        if (status.getKindCase() != Envelope.KindCase.STATUS
                || status.getStatus().getCode() == StatusCode.STATUS_CODE_REFUSED) {
            throw new AssertionError("expected a stream Status, got " + status);
        }
        return client;
    }

    public static HttpResponse<String> get(Relay relay, String path) {
        return get(relay.baseUri().resolve(path));
    }

    /** A GET with header name/value pairs ("Authorization", "Bearer …"). */
    public static HttpResponse<String> get(URI uri, String... headers) {
        return send(uri, "GET", headers);
    }

    /** Polls {@code stream}'s recordings list until it holds exactly one segment, closed; returns the list. */
    public static JsonNode awaitOneClosedRecording(Relay relay, String stream, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            HttpResponse<String> response = get(relay, "/api/streams/" + stream + "/recordings");
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode list;
            try {
                list = new ObjectMapper().readTree(response.body());
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            if (list.size() == 1 && list.get(0).path("state").asText().equals("CLOSED")) {
                return list;
            }
            assertThat(System.nanoTime()).as("a closed recording is listed").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    public static HttpResponse<String> send(URI uri, String method, String... headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody());
            if (headers.length > 0) {
                request.headers(headers);
            }
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
