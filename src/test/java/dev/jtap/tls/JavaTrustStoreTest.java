package dev.jtap.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JavaTrustStoreTest {
    private static final List<X509Certificate> ROOTS = List.of(
            CertificateAuthority.createEphemeral().certificate(),
            CertificateAuthority.createEphemeral().certificate(),
            CertificateAuthority.createEphemeral().certificate());
    private static final X509Certificate EXTRA = CertificateAuthority.createEphemeral().certificate();

    @ParameterizedTest
    @ValueSource(strings = {"JKS", "PKCS12"})
    void copiesEveryTrustedCertificateAndAddsOne(String type) throws Exception {
        byte[] existing = store(type, null, "root-a", ROOTS.get(0), "root-b", ROOTS.get(1), "jtap-ca", ROOTS.get(2));

        byte[] copy = JavaTrustStore.withCertificate(existing, "jtap-ca", EXTRA.getEncoded());

        for (char[] password : Arrays.asList(null, "changeit".toCharArray())) {
            KeyStore loaded = KeyStore.getInstance("PKCS12");
            loaded.load(new ByteArrayInputStream(copy), password);
            assertThat(Collections.list(loaded.aliases())).containsExactlyInAnyOrder("root-a", "root-b", "jtap-ca");
            assertThat(loaded.isCertificateEntry("root-a")).isTrue();
            assertThat(loaded.getCertificate("root-a")).isEqualTo(ROOTS.get(0));
            assertThat(loaded.getCertificate("root-b")).isEqualTo(ROOTS.get(1));
            assertThat(loaded.getCertificate("jtap-ca")).as("the old entry of that name is replaced").isEqualTo(EXTRA);
        }
    }

    @Test
    void aStoreWithEncryptedCertificatesCannotBeCopied() throws Exception {
        byte[] encrypted = store("PKCS12", "secret".toCharArray(), "root-a", ROOTS.get(0));
        assertThatThrownBy(() -> JavaTrustStore.withCertificate(encrypted, "jtap-ca", EXTRA.getEncoded()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void truncatedStoresAreRefused() throws Exception {
        for (String type : List.of("JKS", "PKCS12")) {
            byte[] existing = store(type, null, "root-a", ROOTS.get(0), "root-b", ROOTS.get(1));
            for (int length = 0; length < existing.length - 20; length += 7) {
                byte[] truncated = Arrays.copyOf(existing, length);
                assertThatThrownBy(() -> JavaTrustStore.withCertificate(truncated, "jtap-ca", EXTRA.getEncoded()))
                        .as(type + " cut at " + length).isInstanceOf(RuntimeException.class);
            }
        }
    }

    /** A store of {@code type} with trusted certificate entries given as alias, certificate pairs. */
    private static byte[] store(String type, char[] password, Object... entries) throws Exception {
        KeyStore store = KeyStore.getInstance(type);
        store.load(null, null);
        for (int i = 0; i < entries.length; i += 2) {
            store.setCertificateEntry((String) entries[i], (X509Certificate) entries[i + 1]);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, type.equals("JKS") ? "changeit".toCharArray() : password);
        return out.toByteArray();
    }
}
