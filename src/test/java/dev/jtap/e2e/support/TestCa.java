package dev.jtap.e2e.support;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away EC P-256 certificate authority for test servers; unrelated to jtap's own CA. */
public final class TestCa {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private final KeyPair keyPair;
    private final X509Certificate certificate;
    private final Map<List<String>, Leaf> leaves = new ConcurrentHashMap<>();

    /** A leaf certificate with its key; {@code chain()} is leaf then CA. */
    public record Leaf(PrivateKey key, X509Certificate certificate, X509Certificate issuer) {
        public X509Certificate[] chain() {
            return new X509Certificate[] {certificate, issuer};
        }
    }

    private TestCa(KeyPair keyPair, X509Certificate certificate) {
        this.keyPair = keyPair;
        this.certificate = certificate;
    }

    public static TestCa create(String commonName) {
        try {
            KeyPair kp = newKeyPair();
            X500Name subject = new X500Name("CN=" + commonName + ",O=jtap tests");
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, nextSerial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))),
                    subject, kp.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            return new TestCa(kp, sign(b, kp.getPrivate()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create test CA", e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA certificate in PEM form. */
    public String pem() {
        return toPem(certificate);
    }

    /** Writes the CA certificate as PEM (for {@code curl --cacert} and friends); returns {@code file}. */
    public Path writePem(Path file) {
        try {
            Files.writeString(file, pem(), StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Issues (and caches) a server leaf whose SANs are the given DNS names and/or IP literals. */
    public Leaf leaf(String... namesOrIps) {
        if (namesOrIps.length == 0) {
            throw new IllegalArgumentException("at least one name or IP is required");
        }
        return leaves.computeIfAbsent(List.of(namesOrIps), this::issue);
    }

    /** A JDK server {@link SSLContext} presenting a leaf for the given names. */
    public SSLContext serverContext(String... namesOrIps) {
        Leaf leaf = leaf(namesOrIps);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pw = "test".toCharArray();
            ks.setKeyEntry("server", leaf.key(), pw, leaf.chain());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JDK client {@link SSLContext} that trusts only this CA (e.g. for {@code HttpClient}). */
    public SSLContext clientContext() {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("test-ca", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A Netty server {@link SslContext} (JDK provider) for the given names; {@code alpn} lists the
     * protocols offered in preference order, e.g. {@code List.of("h2", "http/1.1")}, or is empty.
     */
    public SslContext nettyServerContext(List<String> alpn, String... namesOrIps) {
        ApplicationProtocolConfig protocols = alpn.isEmpty() ? ApplicationProtocolConfig.DISABLED
                : new ApplicationProtocolConfig(Protocol.ALPN, SelectorFailureBehavior.NO_ADVERTISE,
                        SelectedListenerFailureBehavior.ACCEPT, alpn);
        // Wrapping the JDK context directly is much faster than SslContextBuilder's key conversion.
        return new JdkSslContext(serverContext(namesOrIps), false, null, IdentityCipherSuiteFilter.INSTANCE,
                protocols, ClientAuth.NONE, null, false);
    }

    private Leaf issue(List<String> names) {
        try {
            KeyPair kp = newKeyPair();
            X500Name subject = new X500Name("CN=" + names.getFirst());
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, nextSerial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(7))),
                    subject, kp.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            GeneralName[] sans = names.stream().map(TestCa::generalName).toArray(GeneralName[]::new);
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            return new Leaf(kp.getPrivate(), sign(b, keyPair.getPrivate()), certificate);
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue leaf for " + names, e);
        }
    }

    private static GeneralName generalName(String nameOrIp) {
        boolean ip = NetUtil.isValidIpV4Address(nameOrIp) || NetUtil.isValidIpV6Address(nameOrIp);
        return new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, nameOrIp);
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static BigInteger nextSerial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    static String toPem(X509Certificate cert) {
        try {
            String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(cert.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "TestCa[" + certificate.getSubjectX500Principal() + ", leaves=" + Arrays.toString(leaves.keySet().toArray()) + "]";
    }
}
