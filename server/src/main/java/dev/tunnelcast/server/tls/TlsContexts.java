package dev.tunnelcast.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Server {@link SSLContext}s from a PEM certificate chain + key (BouncyCastle) or a PKCS#12 keystore. */
public final class TlsContexts {

    private static final char[] EMPTY = new char[0];

    private TlsContexts() {}

    /** @param certChainPem the server certificate first, then its chain; {@code keyPem} PKCS#8 or PKCS#1/SEC1, unencrypted */
    public static SSLContext fromPem(Path certChainPem, Path keyPem) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = readCertificates(certChainPem);
        if (chain.isEmpty()) {
            throw new IOException("no certificate in " + certChainPem);
        }
        PrivateKey key = readPrivateKey(keyPem);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("relay", key, EMPTY, chain.toArray(new X509Certificate[0]));
        return fromKeyStore(store, EMPTY);
    }

    public static SSLContext fromPkcs12(Path keystore, String password) throws IOException, GeneralSecurityException {
        char[] pass = password == null ? EMPTY : password.toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, pass);
        }
        return fromKeyStore(store, pass);
    }

    private static SSLContext fromKeyStore(KeyStore store, char[] password) throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private static List<X509Certificate> readCertificates(Path pem) throws IOException, GeneralSecurityException {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(pem); PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        }
        return certificates;
    }

    private static PrivateKey readPrivateKey(Path pem) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(pem); PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PEMKeyPair pair) {
                    // SEC1 EC keys may come without their public half: then convert the private part only.
                    return pair.getPublicKeyInfo() != null
                            ? converter.getKeyPair(pair).getPrivate()
                            : converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        }
        throw new IOException("no unencrypted private key in " + pem);
    }
}
