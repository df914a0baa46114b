package dev.tunnelcast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.agent.Agent;
import dev.tunnelcast.agent.publish.ProxySettings;
import dev.tunnelcast.agent.publish.TlsSettings;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.server.Relay;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The firewall case: the agent reaches a wss:// relay with a self-signed certificate only
 * through an HTTP CONNECT proxy that wants a password (a real tinyproxy).
 */
@Timeout(60)
class ProxyTlsE2ETest {

    @TempDir
    Path dir;

    @Test
    void publishesOverWssThroughAnAuthenticatingConnectProxy() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.create(dir);
        RelayRecorder recorder = new RelayRecorder();
        try (Tinyproxy proxy = Tinyproxy.start(dir, "alice", "s3cret");
             Relay relay = Relay.start(AgentFixtures.relay().port(-1).tlsPort(0).tlsPem(cert.certPem(), cert.keyPem()).build())) {
            relay.addObserver(recorder);
            URI wss = URI.create("wss://127.0.0.1:" + relay.tlsPort());
            ProxySettings viaProxy = ProxySettings.parse("http://alice:s3cret@127.0.0.1:" + proxy.port, List.of());
            TlsSettings trustRelay = new TlsSettings(cert.certPem(), null, null, false);
            try (Agent agent = new Agent(AgentFixtures.agent(wss, "tunnelled", viaProxy, trustRelay)).start()) {
                ReconnectE2ETest.await(() -> recorder.packets(1).size() >= 30 && recorder.packets(2).size() >= 30, 20_000);
                assertThat(agent.stats().connected()).isTrue();
                assertThat(agent.stats().reconnects()).isZero();
            }
            List<MediaPacket> video = recorder.packets(1);
            assertThat(video.get(0).getKeyframe()).isTrue();
            assertThat(proxy.logText()).as("the connection went through the proxy")
                    .contains("CONNECT 127.0.0.1:" + relay.tlsPort());
        }
    }

    @Test
    void aWrongProxyPasswordKeepsTheAgentOutAndSaysWhy() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.create(dir);
        try (Tinyproxy proxy = Tinyproxy.start(dir, "alice", "s3cret");
             Relay relay = Relay.start(AgentFixtures.relay().port(-1).tlsPort(0).tlsPem(cert.certPem(), cert.keyPem()).build())) {
            URI wss = URI.create("wss://127.0.0.1:" + relay.tlsPort());
            ProxySettings wrong = ProxySettings.parse("http://alice:nope@127.0.0.1:" + proxy.port, List.of());
            try (Agent agent = new Agent(AgentFixtures.agent(wss, "tunnelled", wrong,
                    new TlsSettings(cert.certPem(), null, null, false))).start()) {
                ReconnectE2ETest.await(() -> !agent.stats().lastError().isEmpty(), 10_000);
                assertThat(agent.stats().connected()).isFalse();
                assertThat(agent.stats().lastError()).contains("the proxy refused the tunnel (HTTP 401: wrong proxy credentials?)");
            }
        }
    }

    @Test
    void anUntrustedCertificateIsRefused() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.create(dir);
        try (Relay relay = Relay.start(AgentFixtures.relay().port(-1).tlsPort(0).tlsPem(cert.certPem(), cert.keyPem()).build());
             Agent agent = new Agent(AgentFixtures.agent(URI.create("wss://127.0.0.1:" + relay.tlsPort()), "tls",
                     null, TlsSettings.defaults())).start()) {
            ReconnectE2ETest.await(() -> !agent.stats().lastError().isEmpty(), 10_000);
            assertThat(agent.stats().connected()).isFalse();
            assertThat(agent.stats().lastError()).containsIgnoringCase("SSLHandshakeException");
        }
    }
}
