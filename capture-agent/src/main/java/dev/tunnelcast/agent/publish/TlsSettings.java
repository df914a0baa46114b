package dev.tunnelcast.agent.publish;

import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Which servers a wss:// connection trusts: the JDK's default CAs, a PEM CA/certificate
 * file ({@code --ca-cert}), a trust store ({@code --truststore}), or — only when the user
 * says {@code --insecure} — anything.
 */
public record TlsSettings(Path caCertPem, Path trustStore, String trustStorePassword, boolean insecure) {

    public static TlsSettings defaults() {
        return new TlsSettings(null, null, null, false);
    }

    public SSLContext sslContext() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            if (insecure) {
                ctx.init(null, new TrustManager[] {new TrustEverything()}, null);
            } else if (caCertPem != null || trustStore != null) {
                ctx.init(null, trustManagers(), null);
            } else {
                return SSLContext.getDefault();
            }
            return ctx;
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private TrustManager[] trustManagers() throws Exception {
        KeyStore ks;
        if (trustStore != null) {
            ks = KeyStore.getInstance(trustStore.toString().endsWith(".jks") ? "JKS" : "PKCS12");
            try (InputStream in = Files.newInputStream(trustStore)) {
                ks.load(in, trustStorePassword == null ? null : trustStorePassword.toCharArray());
            }
        } else {
            ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
        }
        if (caCertPem != null) {
            try (InputStream in = Files.newInputStream(caCertPem)) {
                int i = 0;
                for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    ks.setCertificateEntry("ca-" + i++, cert);
                }
                if (i == 0) {
                    throw new IllegalArgumentException("no certificate in " + caCertPem);
                }
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf.getTrustManagers();
    }

    /** For --insecure: accepts any certificate and any host name. */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] c, String a) {}
        @Override public void checkServerTrusted(X509Certificate[] c, String a) {}
        @Override public void checkClientTrusted(X509Certificate[] c, String a, Socket s) {}
        @Override public void checkServerTrusted(X509Certificate[] c, String a, Socket s) {}
        @Override public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}
        @Override public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}
        @Override public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

}
