package dev.jtap.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LeafCertificatesTest {

    private static CertificateAuthority ca;
    private static LeafCertificates leaves;

    @BeforeAll
    static void createCa() {
        ca = CertificateAuthority.createEphemeral();
        leaves = new LeafCertificates(ca);
    }

    @ParameterizedTest
    @CsvSource({
        "example.com, 2, example.com",
        "Example.COM., 2, example.com",
        "127.0.0.1, 7, 127.0.0.1",
        "::1, 7, 0:0:0:0:0:0:0:1",
        "[2001:db8::5], 7, 2001:db8:0:0:0:0:0:5",
    })
    void subjectAlternativeNameMatchesTheRequestedName(String requested, int sanType, String sanValue) throws Exception {
        X509Certificate leaf = leaves.leafFor(requested).certificate();
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(sanType, sanValue));
        assertThat(leaf.getSubjectX500Principal().getName()).startsWith("CN=");
    }

    @Test
    void leafHasServerExtensionsAndVerifiesToTheCaAlone() throws Exception {
        LeafCertificates.Leaf leaf = leaves.leafFor("api.example.org");
        X509Certificate cert = leaf.certificate();

        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getExtensionValue("2.5.29.35")).as("authorityKeyIdentifier").isNotNull();
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=api.example.org");
        assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(leaf.chain()).hasSize(2);
        assertThat(leaf.chain()[1]).isEqualTo(ca.certificate());

        assertThat(cert.getNotBefore()).isAfterOrEqualTo(ca.certificate().getNotBefore());
        assertThat(cert.getNotAfter()).isBeforeOrEqualTo(ca.certificate().getNotAfter());
        assertThat(Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()))
                .isLessThanOrEqualTo(Duration.ofHours(24));

        CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert));
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(path, params);
    }

    @Test
    void leavesAreCachedByNormalisedName() {
        assertThat(leaves.leafFor("cache.test")).isSameAs(leaves.leafFor("CACHE.test."));
        assertThat(leaves.leafFor("cache.test")).isNotSameAs(leaves.leafFor("other.cache.test"));
        assertThat(leaves.leafFor("cache.test").certificate().getSerialNumber())
                .isNotEqualTo(leaves.leafFor("other.cache.test").certificate().getSerialNumber());
    }

    @Test
    void concurrentRequestsForOneNameShareOneLeaf() throws Exception {
        LeafCertificates fresh = new LeafCertificates(ca);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<LeafCertificates.Leaf>>();
            for (int i = 0; i < 32; i++) {
                futures.add(pool.submit(() -> fresh.leafFor("shared.test")));
            }
            LeafCertificates.Leaf first = futures.getFirst().get();
            for (var future : futures) {
                assertThat(future.get()).isSameAs(first);
            }
        }
    }

    @Test
    void rejectsNamesThatAreNeitherHostsNorIps() {
        assertThatThrownBy(() -> leaves.leafFor("bad name")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> leaves.leafFor("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> leaves.leafFor("a/b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mintingIsFast() {
        LeafCertificates fresh = new LeafCertificates(ca);
        for (int i = 0; i < 50; i++) {
            fresh.leafFor("warmup" + i + ".test");
        }
        long start = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            fresh.leafFor("host" + i + ".test");
        }
        long micros = (System.nanoTime() - start) / 1000;
        System.out.printf("minted 100 leaf certificates in %.1f ms (%.0f us each)%n", micros / 1000.0, micros / 100.0);
        assertThat(micros).as("generous bound; CI machines may be loaded").isLessThan(30_000_000);
    }

    @Test
    void handshakeWithClientTrustingOnlyTheCaNegotiatesForcedAlpn() throws Exception {
        SSLEngine server = leaves.newServerHandler("localhost", "http/1.1").engine();
        SSLEngine client = clientEngine("localhost", List.of("h2", "http/1.1"));
        EnginePair pair = new EnginePair(client, server);

        pair.handshake();

        assertThat(client.getApplicationProtocol()).isEqualTo("http/1.1");
        assertThat(server.getApplicationProtocol()).isEqualTo("http/1.1");
        X509Certificate presented = (X509Certificate) client.getSession().getPeerCertificates()[0];
        assertThat(presented.getSubjectAlternativeNames()).containsExactly(List.of(2, "localhost"));
        assertThat(pair.clientSends("GET / HTTP/1.1\r\n")).isEqualTo("GET / HTTP/1.1\r\n");
    }

    @Test
    void handshakeForIpLiteralWithoutSni() throws Exception {
        SSLEngine server = leaves.newServerHandler("127.0.0.1", "h2").engine();
        SSLEngine client = clientEngine("127.0.0.1", List.of("h2", "http/1.1"));
        new EnginePair(client, server).handshake();
        assertThat(client.getApplicationProtocol()).isEqualTo("h2");
        assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");
    }

    @Test
    void handshakeOverTls12WithoutAlpn() throws Exception {
        SSLEngine server = leaves.newServerHandler("tls12.test", null).engine();
        SSLEngine client = clientEngine("tls12.test", List.of());
        client.setEnabledProtocols(new String[] {"TLSv1.2"});
        new EnginePair(client, server).handshake();
        assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.2");
        assertThat(client.getApplicationProtocol()).isEmpty();
    }

    /** jtap never forces a protocol the child did not offer; if it did, the server would select none. */
    @Test
    void clientThatDoesNotOfferTheForcedProtocolGetsNone() throws Exception {
        SSLEngine server = leaves.newServerHandler("localhost", "h2").engine();
        SSLEngine client = clientEngine("localhost", List.of("http/1.1"));
        new EnginePair(client, server).handshake();
        assertThat(client.getApplicationProtocol()).isEmpty();
    }

    private static SSLEngine clientEngine(String host, List<String> alpn) throws Exception {
        SSLEngine client = EnginePair.clientTrusting(ca.certificate()).createSSLEngine(host, 443);
        client.setUseClientMode(true);
        SSLParameters params = client.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (LeafCertificates.ipLiteral(host) == null) {
            params.setServerNames(List.of(new SNIHostName(host)));
        }
        if (!alpn.isEmpty()) {
            params.setApplicationProtocols(alpn.toArray(String[]::new));
        }
        client.setSSLParameters(params);
        return client;
    }
}
