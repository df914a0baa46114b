package dev.tunnelcast.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.server.testing.Messages;
import dev.tunnelcast.server.testing.TestRelays;
import dev.tunnelcast.server.testing.WsClient;
import java.io.Writer;
import java.math.BigInteger;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WSS listener, with a self-signed certificate made here, serves a publisher and a player. */
class TlsTest {

    @TempDir
    Path dir;

    @Test
    void wssPublishAndPlayWithPemCertificate() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("EC").generateKeyPair();
        X509Certificate cert = selfSigned(keys);
        Path certPem = dir.resolve("cert.pem");
        Path keyPem = dir.resolve("key.pem");
        writePem(certPem, cert);
        writePem(keyPem, new JcaPKCS8Generator(keys.getPrivate(), null)); // PKCS#8, as openssl genpkey writes

        try (Relay relay = Relay.start(TestRelays.config().tlsPem(certPem, keyPem).tlsPort(0).build())) {
            assertThat(relay.tlsPort()).isPositive();
            assertThat(relay.port()).isPositive().isNotEqualTo(relay.tlsPort());
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(cert)).build();
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
        X509Certificate cert = selfSigned(keys);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("relay", keys.getPrivate(), "pw".toCharArray(), new X509Certificate[] {cert});
        Path p12 = dir.resolve("relay.p12");
        try (var out = Files.newOutputStream(p12)) {
            store.store(out, "pw".toCharArray());
        }
        try (Relay relay = Relay.start(TestRelays.config().port(-1).tlsKeystore(p12, "pw").tlsPort(0).build())) {
            assertThat(relay.port()).isEqualTo(-1);
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(cert)).build();
            try (WsClient player = WsClient.connect(https, URI.create("wss://127.0.0.1:" + relay.tlsPort() + "/ws/play/p12"))) {
                player.send(Messages.hello(Role.ROLE_PLAYER));
                assertThat(player.next().envelope().hasWelcome()).isTrue();
            }
        }
    }

    static X509Certificate selfSigned(KeyPair keys) throws Exception {
        X500Name name = new X500Name("CN=127.0.0.1");
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    static SSLContext trusting(X509Certificate cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("relay", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    private static void writePem(Path path, Object object) throws Exception {
        try (Writer w = Files.newBufferedWriter(path); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(object);
        }
    }
}
