package dev.tunnelcast.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.TlsFixture;
import dev.tunnelcast.server.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WSS listener, with a self-signed certificate made here, serves a publisher and a player. */
class TlsTest {

    @TempDir
    Path dir;

    @Test
    void wssPublishAndPlayWithPemCertificate() throws Exception {
        TlsFixture tls = TlsFixture.create(dir);
        X509Certificate cert = tls.certificate();
        Path certPem = tls.cert();
        Path keyPem = tls.key();

        try (Relay relay = Relay.start(TestRelays.config().tlsPem(certPem, keyPem).tlsPort(0).build())) {
            assertThat(relay.tlsPort()).isPositive();
            assertThat(relay.port()).isPositive().isNotEqualTo(relay.tlsPort());
            HttpClient https = HttpClient.newBuilder().sslContext(TlsFixture.trusting(cert)).build();
            String base = "wss://127.0.0.1:" + relay.tlsPort();
            try (WsClient publisher = WsClient.connect(https, URI.create(base + "/ws/publish/secure"));
                 WsClient player = WsClient.connect(https, URI.create(base + "/ws/play/secure"))) {
                publisher.send(Messages.hello(Role.ROLE_PUBLISHER));
                assertThat(publisher.next().envelope().hasWelcome()).isTrue();
                player.send(Messages.hello(Role.ROLE_PLAYER));
                assertThat(player.next().envelope().hasWelcome()).isTrue();
                byte[] config = Messages.videoConfig(Messages.VIDEO).toByteArray();
                byte[] key = Messages.packet(Messages.VIDEO, 1, true, 50_000).toByteArray();
                publisher.sendBytes(config);
                publisher.sendBytes(key);
                assertThat(player.nextOf(Envelope.KindCase.TRACK_CONFIG).toByteArray()).isEqualTo(config);
                assertThat(player.next().bytes()).isEqualTo(key);
            }
            HttpResponse<String> health = https.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + relay.tlsPort() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).isEqualTo("ok\n");
        }
    }

    @Test
    void pkcs12KeystoreWorksToo() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("EC").generateKeyPair();
        X509Certificate cert = TlsFixture.selfSigned(keys);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("relay", keys.getPrivate(), "pw".toCharArray(), new X509Certificate[] {cert});
        Path p12 = dir.resolve("relay.p12");
        try (var out = Files.newOutputStream(p12)) {
            store.store(out, "pw".toCharArray());
        }
        try (Relay relay = Relay.start(TestRelays.config().port(-1).tlsKeystore(p12, "pw").tlsPort(0).build())) {
            assertThat(relay.port()).isEqualTo(-1);
            HttpClient https = HttpClient.newBuilder().sslContext(TlsFixture.trusting(cert)).build();
            try (WsClient player = WsClient.connect(https, URI.create("wss://127.0.0.1:" + relay.tlsPort() + "/ws/play/p12"))) {
                player.send(Messages.hello(Role.ROLE_PLAYER));
                assertThat(player.next().envelope().hasWelcome()).isTrue();
            }
        }
    }
}
