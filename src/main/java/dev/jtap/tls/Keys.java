package dev.jtap.tls;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.math.BigInteger;

/** Key generation and signature algorithm choice shared by the CA and leaf minting. */
final class Keys {

    static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {}

    static KeyPair newP256KeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available in this JDK", e);
        }
    }

    /** The signature algorithm a CA with this key uses to sign certificates. */
    static String signatureAlgorithm(PrivateKey caKey) {
        return switch (caKey.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new IllegalArgumentException("unsupported CA key algorithm " + caKey.getAlgorithm());
        };
    }

    /** The DER AlgorithmIdentifier of {@link #signatureAlgorithm} (RFC 5758, 4055, 8410). */
    static byte[] signatureAlgorithmIdentifier(PrivateKey caKey) {
        return switch (signatureAlgorithm(caKey)) {
            case "SHA256withECDSA" -> Der.sequence(Der.objectIdentifier("1.2.840.10045.4.3.2"));
            case "SHA256withRSA" -> Der.sequence(Der.objectIdentifier("1.2.840.113549.1.1.11"), Der.nullValue());
            default -> Der.sequence(Der.objectIdentifier("1.3.101.112"));
        };
    }

    /** A positive random 128-bit certificate serial number. */
    static BigInteger randomSerial() {
        return new BigInteger(127, RANDOM).setBit(120);
    }
}
