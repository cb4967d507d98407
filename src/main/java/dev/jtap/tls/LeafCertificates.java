package dev.jtap.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

import javax.net.ssl.SSLEngine;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContextBuilder;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Mints, caches and serves leaf certificates signed by the jtap CA.
 *
 * <p>All leaves share one P-256 key pair, so minting costs a single signature. Server engines
 * come from one shared {@link SSLContext}; its key manager picks the leaf by the host name the
 * engine was created for.
 */
public final class LeafCertificates {

    /** A private key and the certificate chain (leaf first, then the CA) presented with it. */
    public record Leaf(PrivateKey key, X509Certificate[] chain) {
        public X509Certificate certificate() {
            return chain[0];
        }
    }

    static final int MAX_CACHED = 10_000;
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final Duration LIFETIME = Duration.ofHours(24);
    /** Cached leaves closer than this to expiry are minted again. */
    private static final Duration MIN_REMAINING = Duration.ofHours(1);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9_*-]+(\\.[a-z0-9_-]+)*");

    private final CertificateAuthority ca;
    private final X500Name issuer;
    private final AuthorityKeyIdentifier authorityKeyId;
    private final KeyPair leafKeys = Keys.newP256KeyPair();
    private final ConcurrentMap<String, Leaf> cache = new ConcurrentHashMap<>();
    private final TlsContexts serverContexts = new TlsContexts(() -> SslContextBuilder.forServer(new SniKeyManager(this)));

    public LeafCertificates(CertificateAuthority ca) {
        this.ca = ca;
        X509Certificate caCert = ca.certificate();
        this.issuer = X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded());
        this.authorityKeyId = authorityKeyIdentifier(caCert);
    }

    /**
     * The leaf for a DNS name or an IP literal (IPv6 with or without brackets), minted on first
     * use. Throws IllegalArgumentException for anything that is neither.
     */
    public Leaf leafFor(String hostOrIp) {
        String name = normalize(hostOrIp);
        Leaf cached = cache.get(name);
        if (cached != null && !expiresSoon(cached)) {
            return cached;
        }
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        return cache.compute(name, (key, existing) ->
                existing != null && existing != cached && !expiresSoon(existing) ? existing : mint(key));
    }

    /**
     * A server-mode engine presenting the leaf for {@code hostOrIp}, speaking TLS 1.2 and 1.3.
     * When {@code alpnProtocolOrNull} is set, it is the only protocol the server selects.
     */
    public SSLEngine newServerEngine(String hostOrIp, String alpnProtocolOrNull) {
        String name = normalize(hostOrIp);
        leafFor(name); // mint now rather than inside the handshake
        // The key manager reads the engine's peer host to choose the leaf.
        return serverContexts.forAlpn(alpnProtocolOrNull == null ? List.of() : List.of(alpnProtocolOrNull))
                .newEngine(ByteBufAllocator.DEFAULT, name, -1);
    }

    PrivateKey sharedKey() {
        return leafKeys.getPrivate();
    }

    /** Lower-cased name without brackets or a trailing dot; rejects anything not a host or IP. */
    static String normalize(String hostOrIp) {
        String name = hostOrIp.strip();
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        name = name.toLowerCase(Locale.ROOT);
        if (ipLiteral(name) == null && (name.length() > 253 || !HOST_NAME.matcher(name).matches())) {
            throw new IllegalArgumentException("not a host name or IP literal: " + hostOrIp);
        }
        return name;
    }

    /** The address for an IP literal, or null for a name. Never does a DNS lookup. */
    static InetAddress ipLiteral(String name) {
        try {
            if (IPV4.matcher(name).matches()) {
                return InetAddress.ofLiteral(name);
            }
            if (name.contains(":")) {
                int scope = name.indexOf('%');
                return InetAddress.ofLiteral(scope < 0 ? name : name.substring(0, scope));
            }
        } catch (IllegalArgumentException notALiteral) {
            // fall through
        }
        return null;
    }

    private boolean expiresSoon(Leaf leaf) {
        return leaf.certificate().getNotAfter().toInstant().isBefore(Instant.now().plus(MIN_REMAINING));
    }

    private Leaf mint(String name) {
        X509Certificate caCert = ca.certificate();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant notBefore = latest(now.minus(BACKDATE), caCert.getNotBefore().toInstant());
        Instant notAfter = earliest(now.minus(BACKDATE).plus(LIFETIME), caCert.getNotAfter().toInstant());
        InetAddress ip = ipLiteral(name);
        GeneralName san = ip != null
                ? new GeneralName(GeneralName.iPAddress, new DEROctetString(ip.getAddress()))
                : new GeneralName(GeneralName.dNSName, name);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build();
        try {
            var builder = new JcaX509v3CertificateBuilder(issuer, Keys.randomSerial(),
                    Date.from(notBefore), Date.from(notAfter), subject, leafKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san))
                    .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId);
            var signer = new JcaContentSignerBuilder(Keys.signatureAlgorithm(ca.privateKey())).build(ca.privateKey());
            X509Certificate leaf = Pem.parseCertificate(builder.build(signer).getEncoded());
            return new Leaf(leafKeys.getPrivate(), new X509Certificate[] {leaf, caCert});
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot mint certificate for " + name, e);
        }
    }

    private static AuthorityKeyIdentifier authorityKeyIdentifier(X509Certificate caCert) {
        try {
            byte[] ski = caCert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
            if (ski != null) {
                byte[] keyId = ASN1OctetString.getInstance(JcaX509ExtensionUtils.parseExtensionValue(ski)).getOctets();
                return new AuthorityKeyIdentifier(keyId);
            }
            return new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCert.getPublicKey());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot derive the CA key identifier", e);
        }
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
