package dev.jtap.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {

    @TempDir
    Path tmp;

    @Test
    void ephemeralCaIsShortLivedSelfSignedCa() throws Exception {
        CertificateAuthority ca = CertificateAuthority.createEphemeral();
        X509Certificate cert = ca.certificate();
        Instant notBefore = cert.getNotBefore().toInstant();
        Instant notAfter = cert.getNotAfter().toInstant();

        assertThat(Duration.between(notBefore, notAfter)).isLessThanOrEqualTo(Duration.ofHours(24));
        assertThat(notBefore).isBefore(Instant.now());
        assertThat(notAfter).isAfter(Instant.now().plus(Duration.ofHours(22)));
        assertThat(cert.getSubjectX500Principal().getName()).contains("jtap CA (ephemeral").contains("O=jtap");
        assertThat(cert.getBasicConstraints()).isZero();
        assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        boolean[] keyUsage = cert.getKeyUsage();
        assertThat(keyUsage[5]).as("keyCertSign").isTrue();
        assertThat(keyUsage[6]).as("cRLSign").isTrue();
        assertThat(keyUsage[0]).as("digitalSignature").isFalse();
        assertThat(cert.getExtensionValue("2.5.29.14")).as("subjectKeyIdentifier").isNotNull();
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        cert.verify(cert.getPublicKey());
        assertThat(ca.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
    }

    @Test
    void loadOrCreateWritesPrivateFilesAndReloadsTheSameCa() throws Exception {
        Path dir = tmp.resolve("config/jtap");
        CertificateAuthority created = CertificateAuthority.loadOrCreate(dir);

        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("ca-key.pem"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("ca.pem"))).isEqualTo("rw-r--r--");
        assertThat(Files.readString(dir.resolve("ca-key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(dir.resolve("ca.pem"))).isEqualTo(created.certificatePem());
        assertThat(created.certificate().getNotAfter().toInstant())
                .isAfter(Instant.now().plus(Duration.ofDays(800)));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ca.pem", "ca-key.pem");
        }

        CertificateAuthority loaded = CertificateAuthority.loadOrCreate(dir);
        assertThat(loaded.certificate()).isEqualTo(created.certificate());
        // the reloaded key still signs leaves that verify against the CA
        X509Certificate leaf = new LeafCertificates(loaded).leafFor("reload.test").certificate();
        leaf.verify(created.certificate().getPublicKey());
    }

    @Test
    void garbageCertificateFileGivesOneLineError() throws Exception {
        Path dir = tmp.resolve("bad");
        CertificateAuthority.loadOrCreate(dir);
        Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ca.pem")
                .hasMessageNotContaining("\n");
    }

    @Test
    void keyFromAnotherCaIsRejected() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        CertificateAuthority.loadOrCreate(a);
        CertificateAuthority.loadOrCreate(b);
        Files.copy(b.resolve("ca-key.pem"), a.resolve("ca-key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(a))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("does not belong");
    }

    @Test
    void loneCertificateWithoutKeyIsAnError() throws Exception {
        Path dir = tmp.resolve("lone");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("ca.pem"), CertificateAuthority.createEphemeral().certificatePem());
        assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ca-key.pem");
    }

    @Test
    void unreadableKeyGivesOneLineError() throws Exception {
        Path dir = tmp.resolve("badkey");
        CertificateAuthority.loadOrCreate(dir);
        Files.writeString(dir.resolve("ca-key.pem"), "not a key");
        assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ca-key.pem")
                .hasMessageNotContaining("\n");
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
