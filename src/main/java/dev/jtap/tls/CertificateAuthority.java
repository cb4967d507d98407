package dev.jtap.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The certificate authority whose certificates the traced program is made to trust.
 *
 * <p>Either ephemeral (in memory, valid for one day) or persisted in a directory so a user can
 * install it permanently. The private key never leaves this package.
 */
public final class CertificateAuthority {

    static final String CERT_FILE = "ca.pem";
    static final String KEY_FILE = "ca-key.pem";

    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final Duration EPHEMERAL_LIFETIME = Duration.ofHours(24);
    private static final Duration PERSISTENT_LIFETIME = Duration.ofDays(825);
    private static final DateTimeFormatter SUBJECT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /** A fresh in-memory CA valid from one hour ago for at most 24 hours in total. */
    public static CertificateAuthority createEphemeral() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return create("jtap CA (ephemeral, " + SUBJECT_TIME.format(now) + ")", now, EPHEMERAL_LIFETIME);
    }

    /**
     * Loads {@code dir/ca.pem} and {@code dir/ca-key.pem}, or creates and writes a long-lived CA
     * when neither exists. The directory is created with mode 0700 and the key with mode 0600.
     */
    public static CertificateAuthority loadOrCreate(Path dir) throws IOException {
        Path certFile = dir.resolve(CERT_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        boolean haveCert = Files.exists(certFile);
        boolean haveKey = Files.exists(keyFile);
        if (haveCert && haveKey) {
            return load(certFile, keyFile);
        }
        if (haveCert || haveKey) {
            throw new IOException("found " + (haveCert ? certFile : keyFile) + " but not "
                    + (haveCert ? keyFile : certFile) + "; remove it or supply both");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        CertificateAuthority ca = create("jtap CA (created " + SUBJECT_TIME.format(now) + ")", now, PERSISTENT_LIFETIME);
        ca.writeTo(dir);
        return ca;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String certificatePem() {
        return Pem.certificate(certificate);
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    private static CertificateAuthority create(String commonName, Instant now, Duration lifetime) {
        KeyPair keys = Keys.newP256KeyPair();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "jtap")
                .addRDN(BCStyle.CN, commonName)
                .build();
        Instant notBefore = now.minus(BACKDATE);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject, Keys.randomSerial(), Date.from(notBefore), Date.from(notBefore.plus(lifetime)),
                    subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            var signer = new JcaContentSignerBuilder(Keys.signatureAlgorithm(keys.getPrivate())).build(keys.getPrivate());
            X509Certificate cert = Pem.parseCertificate(builder.build(signer).getEncoded());
            return new CertificateAuthority(cert, keys.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot create CA certificate", e);
        }
    }

    private void writeTo(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        // Key first: a crash in between leaves a lone key, which loadOrCreate reports clearly.
        writeNewFile(dir.resolve(KEY_FILE), Pem.privateKey(privateKey), "rw-------");
        writeNewFile(dir.resolve(CERT_FILE), certificatePem(), "rw-r--r--");
    }

    /** Writes via a temporary file that has the final permissions from its creation on. */
    private static void writeNewFile(Path target, String content, String permissions) throws IOException {
        Set<PosixFilePermission> perms = PosixFilePermissions.fromString(permissions);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (SeekableByteChannel out = Files.newByteChannel(tmp,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(perms))) {
            ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        }
        Files.setPosixFilePermissions(tmp, perms); // umask may have removed bits we want
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private static CertificateAuthority load(Path certFile, Path keyFile) throws IOException {
        List<X509Certificate> certs = Pem.readCertificates(certFile);
        if (certs.size() != 1) {
            throw new IOException(certFile + ": expected exactly one PEM certificate, found " + certs.size());
        }
        X509Certificate cert = certs.getFirst();
        if (cert.getBasicConstraints() < 0) {
            throw new IOException(certFile + ": certificate is not a CA (basicConstraints CA:false or missing)");
        }
        if (cert.getNotAfter().toInstant().isBefore(Instant.now())) {
            throw new IOException(certFile + ": CA certificate expired on " + cert.getNotAfter().toInstant()
                    + "; delete " + certFile.getParent() + " to create a new one");
        }
        PrivateKey key = readPrivateKey(keyFile);
        if (!keyMatches(cert, key)) {
            throw new IOException(keyFile + ": private key does not belong to the certificate in " + certFile);
        }
        return new CertificateAuthority(cert, key);
    }

    private static PrivateKey readPrivateKey(Path keyFile) throws IOException {
        Object parsed;
        try (Reader reader = new StringReader(Files.readString(keyFile, StandardCharsets.ISO_8859_1));
                PEMParser pem = new PEMParser(reader)) {
            parsed = pem.readObject();
        } catch (IOException | RuntimeException e) {
            throw new IOException(keyFile + ": not a readable PEM private key (" + e.getMessage() + ")", e);
        }
        PrivateKeyInfo info = switch (parsed) {
            case PrivateKeyInfo pkcs8 -> pkcs8;
            case PEMKeyPair pair -> pair.getPrivateKeyInfo();
            case PEMEncryptedKeyPair ignored -> throw new IOException(keyFile + ": encrypted keys are not supported");
            case PKCS8EncryptedPrivateKeyInfo ignored -> throw new IOException(keyFile + ": encrypted keys are not supported");
            case null -> throw new IOException(keyFile + ": no PEM private key found");
            default -> throw new IOException(keyFile + ": expected a PRIVATE KEY block, found " + parsed.getClass().getSimpleName());
        };
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        String keyFactory;
        if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            keyFactory = "EC";
        } else if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            keyFactory = "RSA";
        } else if (algorithm.equals(EdECObjectIdentifiers.id_Ed25519)) {
            keyFactory = "Ed25519";
        } else {
            throw new IOException(keyFile + ": unsupported key algorithm " + algorithm);
        }
        try {
            return KeyFactory.getInstance(keyFactory).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IOException(keyFile + ": invalid " + keyFactory + " private key (" + e.getMessage() + ")", e);
        }
    }

    private static boolean keyMatches(X509Certificate cert, PrivateKey key) {
        try {
            byte[] probe = "jtap key check".getBytes(StandardCharsets.US_ASCII);
            String algorithm = Keys.signatureAlgorithm(key);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
