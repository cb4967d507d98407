package dev.jtap.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;

import org.bouncycastle.asn1.ASN1BMPString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1T61String;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.ASN1UniversalString;
import org.bouncycastle.asn1.ASN1VisibleString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * OpenSSL's {@code X509_NAME_hash} (the SHA-1 based "new" hash used for {@code c_rehash}
 * directories), computed over OpenSSL's canonical form of the subject name.
 */
final class OpenSslSubjectHash {

    private OpenSslSubjectHash() {}

    /** The eight lower-case hex digits OpenSSL uses as a hashed-directory file name stem. */
    static String of(X509Certificate cert) {
        byte[] digest = sha1(canonicalEncoding(X500Name.getInstance(cert.getSubjectX500Principal().getEncoded())));
        long value = (digest[0] & 0xffL) | (digest[1] & 0xffL) << 8 | (digest[2] & 0xffL) << 16 | (digest[3] & 0xffL) << 24;
        return String.format("%08x", value);
    }

    /** Each RDN as a DER SET of canonicalised attributes, concatenated without an outer SEQUENCE. */
    static byte[] canonicalEncoding(X500Name name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (RDN rdn : name.getRDNs()) {
                ASN1EncodableVector attributes = new ASN1EncodableVector();
                for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                    attributes.add(new DERSequence(new ASN1Encodable[] {atv.getType(), canonicalValue(atv.getValue())}));
                }
                out.write(new DERSet(attributes).getEncoded(ASN1Encoding.DER));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode name " + name, e);
        }
        return out.toByteArray();
    }

    /**
     * Text string types become a UTF8String, trimmed, with internal ASCII whitespace runs
     * collapsed to one space and ASCII letters lower-cased; other types are kept as they are.
     */
    private static ASN1Encodable canonicalValue(ASN1Encodable value) {
        String text = switch (value) {
            case ASN1UniversalString universal -> decodeUcs4(universal.getOctets());
            case ASN1UTF8String s -> s.getString();
            case ASN1BMPString s -> s.getString();
            case ASN1PrintableString s -> s.getString();
            case ASN1T61String s -> s.getString(); // OpenSSL reads T61 bytes as Latin-1, as does this
            case ASN1IA5String s -> s.getString();
            case ASN1VisibleString s -> s.getString();
            default -> null;
        };
        if (text == null) {
            return value;
        }
        return new DERUTF8String(new String(canonicalBytes(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
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
