package dev.jtap.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERT61String;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustInjectionTest {

    private static final Path SYSTEM_BUNDLE = Path.of("/etc/ssl/certs/ca-certificates.crt");

    private static CertificateAuthority ca;

    @TempDir
    static Path dir;

    private static TrustInjection files;

    @BeforeAll
    static void writeFiles() throws IOException {
        ca = CertificateAuthority.createEphemeral();
        files = TrustInjection.write(ca, dir);
    }

    @Test
    void writesWorldReadableFiles() throws IOException {
        for (Path file : List.of(files.caPem(), files.bundlePem(), files.trustStore())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
                    .isEqualTo("rw-r--r--");
        }
        assertThat(Files.readString(files.caPem())).isEqualTo(ca.certificatePem());
        String bundle = Files.readString(files.bundlePem(), StandardCharsets.ISO_8859_1);
        assertThat(bundle).endsWith(ca.certificatePem());
        assertThat(bundle).startsWith(TrustInjection.systemBundleText());
    }

    @Test
    void trustStoreHoldsJdkCacertsAndTheCa() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(files.trustStore())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyStore jdk = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib/security/cacerts"))) {
            jdk.load(in, "changeit".toCharArray());
        }
        assertThat(store.isCertificateEntry("jtap-ca")).isTrue();
        assertThat(store.getCertificate("jtap-ca")).isEqualTo(ca.certificate());
        assertThat(store.size()).isEqualTo(jdk.size() + 1);
        for (String alias : Collections.list(jdk.aliases())) {
            assertThat(store.getCertificate(alias)).isEqualTo(jdk.getCertificate(alias));
        }
    }

    /** The JDK opens its default cacerts without a password: the CA must still be readable then. */
    @Test
    void trustStoreOpensWithoutPasswordLikeTheJdkDefault() throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(files.trustStore())) {
            store.load(in, null);
        }
        assertThat(store.getCertificate("jtap-ca")).isEqualTo(ca.certificate());
        assertThat(store.size()).isGreaterThan(1);
    }

    @Test
    void hashedDirectoryHoldsTheJtapCaAndSslCertDirListsTheSystemDirectoriesAfterIt() throws IOException {
        try (Stream<Path> entries = Files.list(files.certDir())) {
            assertThat(entries.map(p -> p.getFileName().toString()))
                    .containsExactly(OpenSslSubjectHash.of(ca.certificate()) + ".0");
        }
        String expected = files.certDir().toString();
        for (Path system : TrustInjection.SYSTEM_HASHED_DIR_CANDIDATES) {
            expected += Files.isDirectory(system) ? ":" + system : "";
        }
        assertThat(files.environment()).containsEntry("SSL_CERT_DIR", expected);
    }

    @Test
    void environmentPointsAtTheFiles() {
        Map<String, String> env = files.environment();
        assertThat(env).containsEntry("SSL_CERT_FILE", files.bundlePem().toString())
                .containsEntry("CURL_CA_BUNDLE", files.bundlePem().toString())
                .containsEntry("REQUESTS_CA_BUNDLE", files.bundlePem().toString())
                .containsEntry("DENO_CERT", files.bundlePem().toString())
                .containsEntry("NODE_EXTRA_CA_CERTS", files.caPem().toString())
                .hasSize(11);
        assertThat(files.javaToolOptions()).isEqualTo("-Djavax.net.ssl.trustStore=" + files.trustStore()
                + " -Djavax.net.ssl.trustStorePassword=changeit -Djavax.net.ssl.trustStoreType=PKCS12");
    }

    @Test
    void mountTargetsAreExistingRealFilesWithoutDuplicates() {
        for (List<Path> targets : List.of(TrustInjection.bundleMountTargets(), TrustInjection.javaTrustStoreMountTargets())) {
            assertThat(targets).doesNotHaveDuplicates().allMatch(Files::isRegularFile).allMatch(p -> !Files.isSymbolicLink(p));
        }
        if (Files.exists(SYSTEM_BUNDLE)) {
            assertThat(TrustInjection.bundleMountTargets()).isNotEmpty();
        }
    }

    @Test
    void subjectHashMatchesOpenSslForTheSystemBundle() throws Exception {
        assumeThat(Files.isReadable(SYSTEM_BUNDLE)).as("system bundle present").isTrue();
        assumeThat(openSslAvailable()).as("openssl available").isTrue();
        List<X509Certificate> certs = Pem.readCertificatesLeniently(SYSTEM_BUNDLE);
        assertThat(certs).isNotEmpty();
        Map<String, String> theirs = openSslRehash(certs);
        assertThat(theirs).as("openssl rehash links").isNotEmpty();
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < certs.size(); i++) {
            String expected = theirs.get(certFileName(i));
            String ours = OpenSslSubjectHash.of(certs.get(i));
            if (expected != null && !expected.equals(ours)) {
                mismatches.add(certs.get(i).getSubjectX500Principal() + ": " + ours + " != " + expected);
            }
        }
        assertThat(mismatches).isEmpty();
        long distinct = certs.stream().map(TrustInjectionTest::encoded).distinct().count();
        assertThat(theirs).as("every distinct certificate was hashed by openssl").hasSize((int) distinct);
    }

    @Test
    void subjectHashCanonicalisesCaseWhitespaceAndStringTypes() throws Exception {
        assumeThat(openSslAvailable()).as("openssl available").isTrue();
        List<X500Name> names = List.of(
                new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "  Mixed \t CASE   Name  ").addRDN(BCStyle.O, "ÄÖÜ Straße").build(),
                name(new AttributeTypeAndValue(BCStyle.CN, new DERPrintableString("Printable  Name")),
                        new AttributeTypeAndValue(BCStyle.OU, new DERBMPString("Bmp\u00e9 UNIT")),
                        new AttributeTypeAndValue(BCStyle.EmailAddress, new DERIA5String("Admin@Example.ORG")),
                        new AttributeTypeAndValue(BCStyle.L, new DERT61String("T61 Place")),
                        new AttributeTypeAndValue(BCStyle.O, new DERUTF8String("\u65e5\u672c Corp"))),
                new X500Name(new org.bouncycastle.asn1.x500.RDN[] {new org.bouncycastle.asn1.x500.RDN(
                        new AttributeTypeAndValue[] {
                            new AttributeTypeAndValue(BCStyle.CN, new DERUTF8String("Multi")),
                            new AttributeTypeAndValue(BCStyle.O, new DERUTF8String("Valued RDN"))})}));
        for (X500Name subject : names) {
            X509Certificate cert = selfSigned(subject);
            assertThat(OpenSslSubjectHash.of(cert)).as(subject.toString()).isEqualTo(openSslHash(cert));
        }
    }

    @Test
    void openSslVerifiesAMintedLeafUsingOnlyTheHashedDirectory() throws Exception {
        assumeThat(openSslAvailable()).as("openssl available").isTrue();
        Path leaf = dir.resolve("leaf.pem");
        Files.writeString(leaf, Pem.certificate(new LeafCertificates(ca).leafFor("verify.test").certificate()));
        Process p = new ProcessBuilder("openssl", "verify", "-no-CAfile", "-no-CAstore", "-CApath",
                files.certDir().toString(), leaf.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains(": OK");
    }

    private static X500Name name(AttributeTypeAndValue... attributes) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        for (AttributeTypeAndValue atv : attributes) {
            builder.addRDN(atv);
        }
        return builder.build();
    }

    private static X509Certificate selfSigned(X500Name subject) throws Exception {
        var keys = Keys.newP256KeyPair();
        var now = new java.util.Date();
        var holder = new JcaX509v3CertificateBuilder(subject, Keys.randomSerial(), now,
                new java.util.Date(now.getTime() + 3_600_000), subject, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        return Pem.parseCertificate(holder.getEncoded());
    }

    private static boolean openSslAvailable() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * Writes each certificate to its own file and lets one {@code openssl rehash} run name
     * them; returns file name to OpenSSL subject hash.
     */
    private static Map<String, String> openSslRehash(List<X509Certificate> certs) throws Exception {
        Path work = Files.createDirectories(dir.resolve("rehash"));
        for (int i = 0; i < certs.size(); i++) {
            Files.writeString(work.resolve(certFileName(i)), Pem.certificate(certs.get(i)));
        }
        Process p = new ProcessBuilder("openssl", "rehash", work.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Map<String, String> hashes = new java.util.HashMap<>();
        try (Stream<Path> entries = Files.list(work)) {
            for (Path link : entries.filter(Files::isSymbolicLink).toList()) {
                String hash = link.getFileName().toString().substring(0, 8);
                hashes.put(Files.readSymbolicLink(link).getFileName().toString(), hash);
            }
        }
        return hashes;
    }

    private static String certFileName(int index) {
        return "cert-" + index + ".pem";
    }

    private static String encoded(X509Certificate cert) {
        try {
            return java.util.Base64.getEncoder().encodeToString(cert.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String openSslHash(X509Certificate cert) throws Exception {
        Process p = new ProcessBuilder("openssl", "x509", "-hash", "-noout").start();
        try (var in = p.getOutputStream()) {
            in.write(Pem.certificate(cert).getBytes(StandardCharsets.US_ASCII));
        }
        String hash = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        p.waitFor(10, TimeUnit.SECONDS);
        return hash;
    }

}
