package dev.jtap.tls;

import java.io.IOException;
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
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import dev.jtap.tls.CertificateBuilder.NameAttribute;

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
        byte[] subject = CertificateBuilder.name(new NameAttribute(CertificateBuilder.ORGANIZATION, "jtap"),
                new NameAttribute(CertificateBuilder.COMMON_NAME, commonName));
        Instant notBefore = now.minus(BACKDATE);
        try {
            X509Certificate cert = new CertificateBuilder(subject, subject, notBefore, notBefore.plus(lifetime), keys.getPublic())
                    .basicConstraints(true)
                    .keyUsage(CertificateBuilder.KEY_CERT_SIGN, CertificateBuilder.CRL_SIGN)
                    .subjectKeyIdentifier()
                    .sign(Keys.randomSerial(), keys.getPrivate());
            return new CertificateAuthority(cert, keys.getPrivate());
        } catch (GeneralSecurityException e) {
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
        PrivateKey key = PrivateKeyPem.read(keyFile);
        if (!keyMatches(cert, key)) {
            throw new IOException(keyFile + ": private key does not belong to the certificate in " + certFile);
        }
        return new CertificateAuthority(cert, key);
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
