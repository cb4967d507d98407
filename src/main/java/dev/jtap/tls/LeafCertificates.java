package dev.jtap.tls;

import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;


import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
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
    private final byte[] authorityKeyId;
    private final KeyPair leafKeys = Keys.newP256KeyPair();
    private final ConcurrentMap<String, Leaf> cache = new ConcurrentHashMap<>();
    private final TlsContexts serverContexts = new TlsContexts(() -> SslContextBuilder.forServer(new SniKeyManager(this)));

    public LeafCertificates(CertificateAuthority ca) {
        this.ca = ca;
        X509Certificate caCert = ca.certificate();
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
     * The TLS server side presenting the leaf for {@code hostOrIp}, speaking TLS 1.2 and 1.3. When
     * {@code alpnProtocolOrNull} is set, it is the only protocol the server selects. Made by its
     * context, as {@link UpstreamTrust#newClientHandler} says why.
     */
    public SslHandler newServerHandler(String hostOrIp, String alpnProtocolOrNull) {
        String name = normalize(hostOrIp);
        leafFor(name); // mint now rather than inside the handshake
        // The key manager reads the engine's peer host to choose the leaf.
        return serverContexts.forAlpn(alpnProtocolOrNull == null ? List.of() : List.of(alpnProtocolOrNull))
                .newHandler(ByteBufAllocator.DEFAULT, name, -1);
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
        byte[] subject = CertificateBuilder.name(new CertificateBuilder.NameAttribute(CertificateBuilder.COMMON_NAME, name));
        try {
            var builder = new CertificateBuilder(caCert.getSubjectX500Principal().getEncoded(), subject,
                    notBefore, notAfter, leafKeys.getPublic())
                    .basicConstraints(false)
                    .keyUsage(CertificateBuilder.DIGITAL_SIGNATURE)
                    .extendedKeyUsageServerAuth();
            X509Certificate leaf = (ip != null ? builder.subjectAlternativeName(ip) : builder.subjectAlternativeName(name))
                    .authorityKeyIdentifier(authorityKeyId)
                    .sign(Keys.randomSerial(), ca.privateKey());
            return new Leaf(leafKeys.getPrivate(), new X509Certificate[] {leaf, caCert});
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot mint certificate for " + name, e);
        }
    }

    /** The CA's subjectKeyIdentifier, or the identifier of its key when it has none. */
    private static byte[] authorityKeyIdentifier(X509Certificate caCert) {
        byte[] extension = caCert.getExtensionValue("2.5.29.14"); // OCTET STRING around the KeyIdentifier
        if (extension == null) {
            return CertificateBuilder.keyIdentifier(caCert.getPublicKey());
        }
        return Der.Element.parse(Der.Element.parse(extension).expect(Der.OCTET_STRING).contents())
                .expect(Der.OCTET_STRING).contents();
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
