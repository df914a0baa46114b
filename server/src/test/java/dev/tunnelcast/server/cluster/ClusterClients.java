package dev.tunnelcast.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.proto.v1.StatusCode;
import dev.tunnelcast.server.testing.Conditions;
import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.WsClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.regex.Pattern;

/** What the cluster tests do to relay nodes: publish, play, wait for a gauge, clean their folder. */
final class ClusterClients {

    static final Duration DEADLINE = Duration.ofSeconds(60);

    private ClusterClients() {}

    /** Waits until {@code node}'s unlabelled {@code gauge} reads {@code value}. */
    static void awaitGauge(RelayNode node, String gauge, int value) {
        Pattern line = Pattern.compile("(?m)^" + gauge + "(\\{\\})? " + value + "\\.0$");
        Conditions.await(gauge + " = " + value, DEADLINE, () -> node.poll("/metrics"),
                body -> line.matcher(body).find());
    }

    /** A welcomed publisher without an instance id. */
    static WsClient publisher(URI uri) {
        return publisher(uri, "");
    }

    /** A welcomed publisher with {@code instanceId} (empty: none). */
    static WsClient publisher(URI uri, String instanceId) {
        WsClient client = WsClient.connect(uri);
        client.send(instanceId.isEmpty() ? Messages.hello(Role.ROLE_PUBLISHER) : Messages.publisherHello("", false, instanceId));
        Envelope welcome = client.next(DEADLINE).envelope();
        assertThat(welcome.getKindCase()).as("%s", welcome).isEqualTo(Envelope.KindCase.WELCOME);
        return client;
    }

    /** A welcomed player whose stream status is not a refusal. */
    static WsClient player(URI uri) {
        WsClient client = WsClient.connect(uri);
        client.send(Messages.hello(Role.ROLE_PLAYER));
        assertThat(client.next(DEADLINE).envelope().getKindCase()).isEqualTo(Envelope.KindCase.WELCOME);
        Envelope status = client.next(DEADLINE).envelope();
        assertThat(status.getStatus().getCode()).isNotEqualTo(StatusCode.STATUS_CODE_REFUSED);
        return client;
    }

    /** Empties and removes {@code dir}, if it exists. */
    static void deleteRecursively(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
