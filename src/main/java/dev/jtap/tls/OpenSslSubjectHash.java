package dev.jtap.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenSSL's {@code X509_NAME_hash} (the SHA-1 based "new" hash used for {@code c_rehash}
 * directories), computed over OpenSSL's canonical form of the subject name.
 */
final class OpenSslSubjectHash {

    private OpenSslSubjectHash() {}

    /** The eight lower-case hex digits OpenSSL uses as a hashed-directory file name stem. */
    static String of(X509Certificate cert) {
        byte[] digest = sha1(canonicalEncoding(cert.getSubjectX500Principal().getEncoded()));
        long value = (digest[0] & 0xffL) | (digest[1] & 0xffL) << 8 | (digest[2] & 0xffL) << 16 | (digest[3] & 0xffL) << 24;
        return String.format("%08x", value);
    }

    /**
     * Each RDN of a DER-encoded name as a DER SET of canonicalised attributes, concatenated
     * without an outer SEQUENCE.
     */
    static byte[] canonicalEncoding(byte[] name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Der.Element rdn : Der.Element.parse(name).children(Der.SEQUENCE)) {
            List<byte[]> attributes = new ArrayList<>();
            for (Der.Element attribute : rdn.children(Der.SET)) {
                List<Der.Element> typeAndValue = attribute.children(Der.SEQUENCE);
                attributes.add(Der.sequence(typeAndValue.get(0).expect(Der.OBJECT_IDENTIFIER).encoding(),
                        canonicalValue(typeAndValue.get(1))));
            }
            out.writeBytes(Der.setOf(attributes));
        }
        return out.toByteArray();
    }

    /**
     * Text string types become a UTF8String, trimmed, with internal ASCII whitespace runs
     * collapsed to one space and ASCII letters lower-cased; other types are kept as they are.
     */
    private static byte[] canonicalValue(Der.Element value) {
        byte[] contents = value.contents();
        String text = switch (value.tag()) {
            case Der.UNIVERSAL_STRING -> decodeUcs4(contents);
            case Der.BMP_STRING -> new String(contents, StandardCharsets.UTF_16BE);
            case Der.UTF8_STRING -> new String(contents, StandardCharsets.UTF_8);
            // OpenSSL reads T61 bytes as Latin-1, as does this
            case Der.PRINTABLE_STRING, Der.T61_STRING, Der.IA5_STRING, Der.VISIBLE_STRING ->
                    new String(contents, StandardCharsets.ISO_8859_1);
            default -> null;
        };
        if (text == null) {
            return value.encoding();
        }
        return Der.element(Der.UTF8_STRING, canonicalBytes(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] canonicalBytes(byte[] utf8) {
        int start = 0;
        int end = utf8.length;
        while (start < end && isSpace(utf8[start])) {
            start++;
        }
        while (end > start && isSpace(utf8[end - 1])) {
            end--;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(end - start);
        for (int i = start; i < end; i++) {
            byte b = utf8[i];
            if (isSpace(b)) {
                out.write(' ');
                while (isSpace(utf8[i + 1])) {
                    i++;
                }
            } else if (b >= 'A' && b <= 'Z') {
                out.write(b + ('a' - 'A'));
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private static String decodeUcs4(byte[] octets) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i + 3 < octets.length; i += 4) {
            text.appendCodePoint((octets[i] & 0xff) << 24 | (octets[i + 1] & 0xff) << 16
                    | (octets[i + 2] & 0xff) << 8 | (octets[i + 3] & 0xff));
        }
        return text.toString();
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }
}
