package dev.tunnelcast.e2e;

import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A self-signed certificate for 127.0.0.1 and localhost, written as PEM cert and PKCS#8 key. */
record SelfSignedCertificate(Path certPem, Path keyPem) {

    static SelfSignedCertificate create(Path dir) throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("EC").generateKeyPair();
        X500Name name = new X500Name("CN=tunnelcast-e2e");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        Path certPem = dir.resolve("relay-cert.pem");
        Path keyPem = dir.resolve("relay-key.pem");
        write(certPem, cert);
        write(keyPem, new JcaPKCS8Generator(keys.getPrivate(), null));
        return new SelfSignedCertificate(certPem, keyPem);
    }

    private static void write(Path file, Object pem) throws Exception {
        try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(pem);
        }
    }
}
