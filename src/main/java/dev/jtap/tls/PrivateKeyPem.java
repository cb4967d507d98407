package dev.jtap.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an unencrypted PEM private key as OpenSSL writes it: PKCS#8 ({@code PRIVATE KEY}), SEC 1
 * ({@code EC PRIVATE KEY}) or PKCS#1 ({@code RSA PRIVATE KEY}); EC, RSA and Ed25519 keys.
 */
final class PrivateKeyPem {
    private static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";
    private static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
    private static final String ED25519 = "1.3.101.112";
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private PrivateKeyPem() {}

    /** The key in {@code file}; every failure is an IOException with a one-line message naming the file. */
    static PrivateKey read(Path file) throws IOException {
        Matcher block = BLOCK.matcher(Files.readString(file, StandardCharsets.ISO_8859_1));
        while (block.find()) {
            String label = block.group(1);
            String body = block.group(2);
            if (label.equals("ENCRYPTED PRIVATE KEY") || body.contains("Proc-Type: 4,ENCRYPTED")) {
                throw new IOException(file + ": encrypted keys are not supported");
            }
            if (label.endsWith("PRIVATE KEY")) {
                try {
                    return decode(label, Base64.getMimeDecoder().decode(body.strip()));
                } catch (RuntimeException | GeneralSecurityException e) { // malformed DER: parse errors, missing fields
                    throw new IOException(file + ": not a readable " + label + " (" + e.getMessage() + ")", e);
                }
            }
        }
        throw new IOException(file + ": no PEM private key found");
    }

    private static PrivateKey decode(String label, byte[] der) throws GeneralSecurityException {
        byte[] pkcs8 = switch (label) {
            case "PRIVATE KEY" -> der;
            case "EC PRIVATE KEY" -> pkcs8(Der.sequence(Der.objectIdentifier(EC_PUBLIC_KEY), namedCurve(der)), der);
            case "RSA PRIVATE KEY" -> pkcs8(Der.sequence(Der.objectIdentifier(RSA_ENCRYPTION), Der.nullValue()), der);
            default -> throw new IllegalArgumentException("unsupported PEM block " + label);
        };
        List<Der.Element> info = Der.Element.parse(pkcs8).children(Der.SEQUENCE);
        String algorithm = info.get(1).children(Der.SEQUENCE).getFirst().objectIdentifier();
        String keyFactory = switch (algorithm) {
            case EC_PUBLIC_KEY -> "EC";
            case RSA_ENCRYPTION -> "RSA";
            case ED25519 -> "Ed25519";
            default -> throw new IllegalArgumentException("unsupported key algorithm " + algorithm);
        };
        return KeyFactory.getInstance(keyFactory).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    /** The curve OID in a SEC 1 key's {@code [0] parameters}, which PKCS#8 carries in its algorithm. */
    private static byte[] namedCurve(byte[] sec1) {
        for (Der.Element field : Der.Element.parse(sec1).children(Der.SEQUENCE)) {
            if (field.tag() == Der.contextTag(0)) {
                return field.children().getFirst().expect(Der.OBJECT_IDENTIFIER).encoding();
            }
        }
        throw new IllegalArgumentException("the EC key names no curve");
    }

    private static byte[] pkcs8(byte[] algorithmIdentifier, byte[] innerKey) {
        return Der.sequence(Der.integer(BigInteger.ZERO), algorithmIdentifier, Der.octetString(innerKey));
    }
}
