package dev.tunnelcast.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelayRotationTest {

    private static final URI N1 = URI.create("ws://n1:8080");
    private static final URI N2 = URI.create("ws://n2:8080");
    private static final URI N3 = URI.create("ws://n3:8080");

    @Test
    void startsAtTheFirstAndMovesToTheNextRoundTheList() {
        RelayRotation relays = new RelayRotation(List.of(N1, N2, N3));
        assertThat(relays.current()).isEqualTo(N1);
        assertThat(relays.current()).as("no move without a failure").isEqualTo(N1);
        assertThat(relays.next()).isEqualTo(N2);
        assertThat(relays.current()).isEqualTo(N2);
        assertThat(relays.next()).isEqualTo(N3);
        assertThat(relays.next()).as("round the list").isEqualTo(N1);
    }

    @Test
    void oneRelayIsAlwaysTheNext() {
        RelayRotation relays = new RelayRotation(List.of(N1));
        assertThat(relays.next()).isEqualTo(N1);
        assertThat(relays.next()).isEqualTo(N1);
    }

    @Test
    void needsARelay() {
        assertThatThrownBy(() -> new RelayRotation(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
