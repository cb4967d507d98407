package dev.jtap.tls;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Java trust store (PKCS#12 without password, like the JDK's own cacerts) made of the certificates
 * of an existing JKS or PKCS#12 trust store plus one more, by copying their DER encodings: no
 * certificate is parsed, which at start-up saves the parsing and re-encoding of some 150 roots.
 */
final class JavaTrustStore {
    private static final int JKS_MAGIC = 0xfeedfeed;
    private static final int JKS_TRUSTED_CERTIFICATE = 2;
    private static final String DATA = "1.2.840.113549.1.7.1";
    private static final String CERT_BAG = "1.2.840.113549.1.12.10.1.3";
    private static final String X509_CERTIFICATE = "1.2.840.113549.1.9.22.1";
    private static final String FRIENDLY_NAME = "1.2.840.113549.1.9.20";
    /** The JDK's mark of a certificate entry it trusts (a bag without it is not a trust anchor). */
    private static final String ORACLE_TRUSTED_KEY_USAGE = "2.16.840.1.113894.746875.1.1";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

    private JavaTrustStore() {}

    /**
     * The PKCS#12 encoding of {@code existing}'s trusted certificates and {@code certificateDer} under
     * {@code alias} (an existing entry of that name is left out). Throws IllegalArgumentException for a
     * store this cannot copy: encrypted contents, private keys, anything malformed.
     */
    static byte[] withCertificate(byte[] existing, String alias, byte[] certificateDer) {
        List<byte[]> contents = new ArrayList<>();
        if (existing.length >= 4 && readInt(existing) == JKS_MAGIC) {
            contents.add(Der.sequence(Der.objectIdentifier(DATA), Der.explicit(0, Der.octetString(
                    Der.sequence(jksCertificateBags(existing, alias).toArray(byte[][]::new))))));
        } else {
            contents.addAll(pkcs12Contents(existing, alias));
        }
        contents.add(Der.sequence(Der.objectIdentifier(DATA), Der.explicit(0, Der.octetString(
                Der.sequence(certificateBag(alias, certificateDer))))));
        byte[] authenticatedSafe = Der.sequence(contents.toArray(byte[][]::new));
        return Der.sequence(Der.integer(BigInteger.valueOf(3)),
                Der.sequence(Der.objectIdentifier(DATA), Der.explicit(0, Der.octetString(authenticatedSafe))));
    }

    /** A certBag the JDK loads as a trusted certificate entry named {@code alias}. */
    private static byte[] certificateBag(String alias, byte[] certificateDer) {
        byte[] certBag = Der.sequence(Der.objectIdentifier(X509_CERTIFICATE), Der.explicit(0, Der.octetString(certificateDer)));
        byte[] friendlyName = Der.sequence(Der.objectIdentifier(FRIENDLY_NAME),
                Der.setOf(List.of(Der.element(Der.BMP_STRING, alias.getBytes(StandardCharsets.UTF_16BE)))));
        byte[] trusted = Der.sequence(Der.objectIdentifier(ORACLE_TRUSTED_KEY_USAGE),
                Der.setOf(List.of(Der.objectIdentifier(ANY_EXTENDED_KEY_USAGE))));
        return Der.sequence(Der.objectIdentifier(CERT_BAG), Der.explicit(0, certBag), Der.setOf(List.of(friendlyName, trusted)));
    }

    /** JKS: magic, version 2, count, then per entry a tag, alias, date, certificate type and DER. */
    private static List<byte[]> jksCertificateBags(byte[] jks, String skippedAlias) {
        List<byte[]> bags = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(jks))) {
            in.readInt();
            if (in.readInt() != 2) {
                throw new IllegalArgumentException("JKS version other than 2");
            }
            for (int entries = in.readInt(); entries > 0; entries--) {
                if (in.readInt() != JKS_TRUSTED_CERTIFICATE) {
                    throw new IllegalArgumentException("JKS entry that is not a trusted certificate");
                }
                String alias = in.readUTF();
                in.readLong();
                if (!in.readUTF().equals("X.509")) {
                    throw new IllegalArgumentException("JKS certificate that is not X.509");
                }
                int length = in.readInt();
                if (length < 0 || length > in.available()) {
                    throw new IllegalArgumentException("JKS certificate length past the end");
                }
                byte[] der = in.readNBytes(length);
                if (!alias.equals(skippedAlias)) {
                    bags.add(certificateBag(alias, der));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated JKS", e);
        }
        return bags;
    }

    /**
     * A PKCS#12 store's ContentInfos, each kept as it is unless it holds a bag for {@code skippedAlias}.
     * Only unencrypted ({@code data}) contents of certificate bags can be copied.
     */
    private static List<byte[]> pkcs12Contents(byte[] pfx, String skippedAlias) {
        List<Der.Element> pfxFields = Der.Element.parse(pfx).children(Der.SEQUENCE);
        byte[] authenticatedSafe = dataContent(pfxFields.get(1));
        List<byte[]> contents = new ArrayList<>();
        for (Der.Element contentInfo : Der.Element.parse(authenticatedSafe).children(Der.SEQUENCE)) {
            List<byte[]> bags = new ArrayList<>();
            boolean skipped = false;
            for (Der.Element bag : Der.Element.parse(dataContent(contentInfo)).children(Der.SEQUENCE)) {
                List<Der.Element> bagFields = bag.children(Der.SEQUENCE);
                if (!bagFields.get(0).objectIdentifier().equals(CERT_BAG)) {
                    throw new IllegalArgumentException("PKCS#12 bag that is not a certificate");
                }
                if (bagFields.size() > 2 && hasFriendlyName(bagFields.get(2), skippedAlias)) {
                    skipped = true;
                } else {
                    bags.add(bag.encoding());
                }
            }
            contents.add(skipped ? Der.sequence(Der.objectIdentifier(DATA), Der.explicit(0, Der.octetString(
                    Der.sequence(bags.toArray(byte[][]::new))))) : contentInfo.encoding());
        }
        return contents;
    }

    /** The octets of a ContentInfo of type {@code data}. */
    private static byte[] dataContent(Der.Element contentInfo) {
        List<Der.Element> fields = contentInfo.children(Der.SEQUENCE);
        if (!fields.get(0).objectIdentifier().equals(DATA)) {
            throw new IllegalArgumentException("PKCS#12 content of type " + fields.get(0).objectIdentifier());
        }
        return fields.get(1).children(Der.contextTag(0)).getFirst().expect(Der.OCTET_STRING).contents();
    }

    private static boolean hasFriendlyName(Der.Element attributes, String alias) {
        byte[] name = Der.element(Der.BMP_STRING, alias.getBytes(StandardCharsets.UTF_16BE));
        for (Der.Element attribute : attributes.children(Der.SET)) {
            List<Der.Element> fields = attribute.children(Der.SEQUENCE);
            if (fields.get(0).objectIdentifier().equals(FRIENDLY_NAME)
                    && fields.get(1).children(Der.SET).stream().anyMatch(value -> Arrays.equals(value.encoding(), name))) {
                return true;
            }
        }
        return false;
    }

    private static int readInt(byte[] bytes) {
        return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }
}
