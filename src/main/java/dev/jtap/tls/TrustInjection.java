package dev.jtap.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Files that make the traced program, and only it, trust the jtap CA: a PEM bundle, a
 * hashed certificate directory, a Java trust store, and the environment variables and
 * bind-mount targets that point common TLS stacks at them.
 */
public final class TrustInjection {

    public static final String TRUST_STORE_PASSWORD = "changeit";

    static final List<Path> SYSTEM_BUNDLE_CANDIDATES = List.of(
            Path.of("/etc/ssl/certs/ca-certificates.crt"),
            Path.of("/etc/pki/tls/certs/ca-bundle.crt"),
            Path.of("/etc/ssl/cert.pem"),
            Path.of("/etc/ssl/ca-bundle.pem"));
    static final List<Path> BUNDLE_MOUNT_CANDIDATES = List.of(
            Path.of("/etc/ssl/certs/ca-certificates.crt"),
            Path.of("/etc/pki/tls/certs/ca-bundle.crt"),
            Path.of("/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem"),
            Path.of("/etc/ssl/cert.pem"),
            Path.of("/etc/ssl/ca-bundle.pem"));
    /** The host's OpenSSL hashed directories; SSL_CERT_DIR lists them after jtap's own. */
    static final List<Path> SYSTEM_HASHED_DIR_CANDIDATES = List.of(Path.of("/etc/ssl/certs"), Path.of("/etc/pki/tls/certs"));
    private static final List<String> BUNDLE_VARIABLES = List.of(
            "SSL_CERT_FILE", "CURL_CA_BUNDLE", "REQUESTS_CA_BUNDLE", "AWS_CA_BUNDLE", "GIT_SSL_CAINFO",
            "PIP_CERT", "CARGO_HTTP_CAINFO", "NIX_SSL_CERT_FILE", "DENO_CERT");
    private static final String JTAP_CA_ALIAS = "jtap-ca";
    private static final String PUBLIC_FILE = "rw-r--r--";
    private static final String PUBLIC_DIR = "rwxr-xr-x";

    private final Path caPem;
    private final Path bundlePem;
    private final Path trustStore;
    private final Path certDir;

    private TrustInjection(Path dir) {
        this.caPem = dir.resolve("ca.pem");
        this.bundlePem = dir.resolve("bundle.pem");
        this.trustStore = dir.resolve("truststore.p12");
        this.certDir = dir.resolve("certs");
    }

    /** Writes all trust files into {@code dir}, which the caller has created (mode 0700). */
    public static TrustInjection write(CertificateAuthority ca, Path dir) throws IOException {
        TrustInjection files = new TrustInjection(dir);
        String caPem = ca.certificatePem();
        writePublic(files.caPem, caPem);
        writePublic(files.bundlePem, systemBundleText() + caPem);
        files.writeTrustStore(ca.certificate());
        files.writeHashedDirectory(ca.certificate());
        return files;
    }

    public Path caPem() {
        return caPem;
    }

    public Path bundlePem() {
        return bundlePem;
    }

    public Path trustStore() {
        return trustStore;
    }

    public Path certDir() {
        return certDir;
    }

    /** Variables that point OpenSSL, curl, Python, Node, Git, Cargo, Deno and friends at the files. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : BUNDLE_VARIABLES) {
            env.put(name, bundlePem.toString());
        }
        env.put("SSL_CERT_DIR", certDirList());
        env.put("NODE_EXTRA_CA_CERTS", caPem.toString());
        return Collections.unmodifiableMap(env);
    }

    /**
     * jtap's hashed directory, then the host's (OpenSSL and Go read a colon-separated list): the
     * system roots are already hashed there, so only the jtap CA needs a file of its own.
     */
    private String certDirList() {
        StringBuilder list = new StringBuilder(certDir.toString());
        for (Path system : SYSTEM_HASHED_DIR_CANDIDATES) {
            if (Files.isDirectory(system)) {
                list.append(':').append(system);
            }
        }
        return list.toString();
    }

    /** JVM options (for JAVA_TOOL_OPTIONS) selecting the injected trust store. */
    public String javaToolOptions() {
        return "-Djavax.net.ssl.trustStore=" + quoteIfNeeded(trustStore.toString())
                + " -Djavax.net.ssl.trustStorePassword=" + TRUST_STORE_PASSWORD
                + " -Djavax.net.ssl.trustStoreType=PKCS12";
    }

    /** Existing system CA bundle files (real paths, deduplicated) to bind-mount bundle.pem over. */
    public static List<Path> bundleMountTargets() {
        return existingRealFiles(BUNDLE_MOUNT_CANDIDATES);
    }

    /** Existing Java cacerts files (real paths, deduplicated) to bind-mount truststore.p12 over. */
    public static List<Path> javaTrustStoreMountTargets() {
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of("/etc/ssl/certs/java/cacerts"));
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(jvms)) {
                for (Path jvm : entries) {
                    candidates.add(jvm.resolve("lib/security/cacerts"));
                }
            } catch (IOException ignored) {
                // an unreadable /usr/lib/jvm just contributes nothing
            }
        }
        return existingRealFiles(candidates);
    }

    static List<Path> existingRealFiles(List<Path> candidates) {
        Set<Path> found = new LinkedHashSet<>();
        for (Path candidate : candidates) {
            try {
                Path real = candidate.toRealPath();
                if (Files.isRegularFile(real)) {
                    found.add(real);
                }
            } catch (IOException missing) {
                // not present on this host
            }
        }
        return List.copyOf(found);
    }

    /** The first existing system bundle, ending in a newline, or "" if the host has none. */
    static String systemBundleText() throws IOException {
        for (Path candidate : SYSTEM_BUNDLE_CANDIDATES) {
            if (Files.isReadable(candidate) && Files.isRegularFile(candidate)) {
                String text = Files.readString(candidate, StandardCharsets.ISO_8859_1);
                return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
            }
        }
        return "";
    }

    private void writeTrustStore(X509Certificate jtapCa) throws IOException {
        byte[] encoded;
        try {
            encoded = JavaTrustStore.withCertificate(Files.readAllBytes(jdkCacertsPath()), JTAP_CA_ALIAS, jtapCa.getEncoded());
        } catch (IOException | GeneralSecurityException | RuntimeException uncopyable) {
            encoded = keyStoreEncoding(jtapCa); // missing, or a format only the JDK's KeyStore reads
        }
        Files.write(trustStore, encoded);
        Files.setPosixFilePermissions(trustStore, PosixFilePermissions.fromString(PUBLIC_FILE));
    }

    /** The same trust store made with the JDK's KeyStore, which parses every certificate. */
    private byte[] keyStoreEncoding(X509Certificate jtapCa) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            KeyStore jdk = jdkCacerts();
            if (jdk != null) {
                for (String alias : Collections.list(jdk.aliases())) {
                    Certificate cert = jdk.getCertificate(alias);
                    if (jdk.isCertificateEntry(alias) && cert != null && !alias.equals(JTAP_CA_ALIAS)) {
                        store.setCertificateEntry(alias, cert);
                    }
                }
            }
            store.setCertificateEntry(JTAP_CA_ALIAS, jtapCa);
            // No password: certificates stay unencrypted and there is no MAC, like the JDK's own cacerts.
            // The JDK opens its default trust store without a password when javax.net.ssl.trustStorePassword
            // is unset; certificate bags encrypted under "changeit" would then load as an empty store.
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, null);
            return out.toByteArray();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write " + trustStore + ": " + e.getMessage(), e);
        }
    }

    /** The running JDK's cacerts, or null if it is missing or unreadable. */
    private static KeyStore jdkCacerts() {
        try (InputStream in = Files.newInputStream(jdkCacertsPath())) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(in, TRUST_STORE_PASSWORD.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            return null;
        }
    }

    private static Path jdkCacertsPath() {
        return Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
    }

    /** Like OpenSSL's c_rehash, for the one certificate the host's hashed directories lack. */
    private void writeHashedDirectory(X509Certificate jtapCa) throws IOException {
        Files.createDirectories(certDir);
        Files.setPosixFilePermissions(certDir, PosixFilePermissions.fromString(PUBLIC_DIR));
        writePublic(certDir.resolve(OpenSslSubjectHash.of(jtapCa) + ".0"), Pem.certificate(jtapCa));
    }

    private static void writePublic(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.ISO_8859_1);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(PUBLIC_FILE));
    }

    private static String quoteIfNeeded(String value) {
        return value.chars().anyMatch(Character::isWhitespace) ? '"' + value + '"' : value;
    }
}
