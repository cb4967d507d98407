package dev.jtap.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading and writing PEM-encoded certificates and PKCS#8 keys. */
final class Pem {

    private static final Pattern CERTIFICATE_BLOCK = Pattern.compile(
            "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]*?)-----END CERTIFICATE-----");

    private Pem() {}

    static String certificate(X509Certificate cert) {
        try {
            return block("CERTIFICATE", cert.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode certificate " + cert.getSubjectX500Principal(), e);
        }
    }

    static String privateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("key is not PKCS#8 encodable: " + key.getFormat());
        }
        return block("PRIVATE KEY", key.getEncoded());
    }

    private static String block(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    /** All certificates in a PEM file; fails with the file name on any unreadable block. */
    static List<X509Certificate> readCertificates(Path file) throws IOException {
        return readCertificates(file, false);
    }

    /** Certificates in a PEM file, skipping blocks that do not parse (for system bundles). */
    static List<X509Certificate> readCertificatesLeniently(Path file) throws IOException {
        return readCertificates(file, true);
    }

    private static List<X509Certificate> readCertificates(Path file, boolean skipDamaged) throws IOException {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        List<X509Certificate> certs = new ArrayList<>();
        Matcher m = CERTIFICATE_BLOCK.matcher(text);
        while (m.find()) {
            try {
                certs.add(decodeCertificate(m.group(1)));
            } catch (IllegalArgumentException | CertificateException e) {
                if (!skipDamaged) {
                    throw new IOException(
                            file + ": certificate #" + (certs.size() + 1) + " is not valid: " + e.getMessage(), e);
                }
                // a damaged entry in a system bundle must not stop jtap
            }
        }
        return certs;
    }

    static X509Certificate decodeCertificate(String base64) throws CertificateException {
        byte[] der = Base64.getMimeDecoder().decode(base64);
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }

    static X509Certificate parseCertificate(byte[] der) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }
}
