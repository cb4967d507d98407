package dev.jtap.tls;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An X.509 v3 certificate (RFC 5280) assembled in DER and signed with the issuer's key: the few
 * extensions a CA and a TLS server leaf need, nothing else.
 */
final class CertificateBuilder {
    static final String COMMON_NAME = "2.5.4.3";
    static final String ORGANIZATION = "2.5.4.10";
    static final int DIGITAL_SIGNATURE = 0;
    static final int KEY_CERT_SIGN = 5;
    static final int CRL_SIGN = 6;

    private static final String SUBJECT_KEY_IDENTIFIER = "2.5.29.14";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String SUBJECT_ALTERNATIVE_NAME = "2.5.29.17";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String AUTHORITY_KEY_IDENTIFIER = "2.5.29.35";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final int SAN_DNS_NAME = 2;
    private static final int SAN_IP_ADDRESS = 7;

    /** One attribute of a distinguished name, as in {@code CN=example.com}. */
    record NameAttribute(String type, String value) {}

    private final byte[] issuer;
    private final byte[] subject;
    private final Instant notBefore;
    private final Instant notAfter;
    private final PublicKey subjectKey;
    private final List<byte[]> extensions = new ArrayList<>();

    /** {@code issuer} and {@code subject} are DER-encoded names (see {@link #name}). */
    CertificateBuilder(byte[] issuer, byte[] subject, Instant notBefore, Instant notAfter, PublicKey subjectKey) {
        this.issuer = issuer.clone();
        this.subject = subject.clone();
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        this.subjectKey = subjectKey;
    }

    /** A distinguished name with one attribute per RDN, in the given order, values as UTF8String. */
    static byte[] name(NameAttribute... attributes) {
        List<byte[]> rdns = new ArrayList<>();
        for (NameAttribute attribute : attributes) {
            rdns.add(Der.setOf(List.of(Der.sequence(Der.objectIdentifier(attribute.type()), Der.utf8String(attribute.value())))));
        }
        return Der.sequence(rdns.toArray(byte[][]::new));
    }

    /** RFC 5280's key identifier: the SHA-1 of the subjectPublicKey bits. */
    static byte[] keyIdentifier(PublicKey key) {
        List<Der.Element> info = Der.Element.parse(key.getEncoded()).children(Der.SEQUENCE);
        byte[] bits = info.get(1).expect(Der.BIT_STRING).contents();
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(bits, 1, bits.length - 1);
            return sha1.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }

    /** basicConstraints (critical): a CA that may sign only leaves, or an end entity. */
    CertificateBuilder basicConstraints(boolean certificateAuthority) {
        byte[] value = certificateAuthority ? Der.sequence(Der.bool(true), Der.integer(BigInteger.ZERO)) : Der.sequence();
        return extension(BASIC_CONSTRAINTS, true, value);
    }

    /** keyUsage (critical) with these bits set. */
    CertificateBuilder keyUsage(int... bits) {
        return extension(KEY_USAGE, true, Der.namedBits(bits));
    }

    CertificateBuilder extendedKeyUsageServerAuth() {
        return extension(EXTENDED_KEY_USAGE, false, Der.sequence(Der.objectIdentifier(SERVER_AUTH)));
    }

    CertificateBuilder subjectAlternativeName(String dnsName) {
        return extension(SUBJECT_ALTERNATIVE_NAME, false,
                Der.sequence(Der.implicitPrimitive(SAN_DNS_NAME, dnsName.getBytes(StandardCharsets.US_ASCII))));
    }

    CertificateBuilder subjectAlternativeName(InetAddress ip) {
        return extension(SUBJECT_ALTERNATIVE_NAME, false, Der.sequence(Der.implicitPrimitive(SAN_IP_ADDRESS, ip.getAddress())));
    }

    CertificateBuilder subjectKeyIdentifier() {
        return extension(SUBJECT_KEY_IDENTIFIER, false, Der.octetString(keyIdentifier(subjectKey)));
    }

    CertificateBuilder authorityKeyIdentifier(byte[] keyIdentifier) {
        return extension(AUTHORITY_KEY_IDENTIFIER, false, Der.sequence(Der.implicitPrimitive(0, keyIdentifier)));
    }

    private CertificateBuilder extension(String oid, boolean critical, byte[] value) {
        extensions.add(critical
                ? Der.sequence(Der.objectIdentifier(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.objectIdentifier(oid), Der.octetString(value)));
        return this;
    }

    /** The certificate with this serial number, signed by {@code issuerKey}. */
    X509Certificate sign(BigInteger serial, PrivateKey issuerKey) throws GeneralSecurityException {
        byte[] algorithm = Keys.signatureAlgorithmIdentifier(issuerKey);
        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(BigInteger.TWO)),
                Der.integer(serial),
                algorithm,
                issuer,
                Der.sequence(Der.time(notBefore), Der.time(notAfter)),
                subject,
                subjectKey.getEncoded(),
                Der.explicit(3, Der.sequence(extensions.toArray(byte[][]::new))));
        Signature signer = Signature.getInstance(Keys.signatureAlgorithm(issuerKey));
        signer.initSign(issuerKey, Keys.RANDOM);
        signer.update(tbs);
        return Pem.parseCertificate(Der.sequence(tbs, algorithm, Der.bitString(signer.sign())));
    }
}
