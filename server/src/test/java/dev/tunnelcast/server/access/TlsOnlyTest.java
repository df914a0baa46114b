package dev.tunnelcast.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunnelcast.server.Relay;
import dev.tunnelcast.server.RelayConfig;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.TlsFixture;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --tls-only}: the plain listener serves loopback only; the TLS one serves the bind address. */
class TlsOnlyTest {

    @TempDir
    Path dir;

    @Test
    void thePlainListenerIsKeptToLoopback() throws Exception {
        TlsFixture tls = TlsFixture.create(dir);
        // 127.0.0.2 stands in for a network address: also loopback on Linux, so nothing leaves the machine
        RelayConfig config = TestRelays.config().bindAddress("127.0.0.2").tlsPem(tls.cert(), tls.key()).tlsPort(0)
                .access(AccessConfig.defaults().withTlsOnly(true)).build();
        assertThat(config.plainBindAddress()).isEqualTo("127.0.0.1");
        try (Relay relay = Relay.start(config)) {
            assertThat(relay.baseUri().getHost()).isEqualTo("127.0.0.1");
            assertThat(TestRelays.get(relay, "/healthz").statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> new Socket("127.0.0.2", relay.port()).close()).isInstanceOf(ConnectException.class);
            try (Socket secure = new Socket("127.0.0.2", relay.tlsPort())) {
                assertThat(secure.isConnected()).isTrue();
            }
        }
    }

    @Test
    void withoutTlsItIsAClearError() {
        assertThatThrownBy(() -> TestRelays.config().access(AccessConfig.defaults().withTlsOnly(true)).build())
                .hasMessageContaining("--tls-only needs TLS");
    }
}
