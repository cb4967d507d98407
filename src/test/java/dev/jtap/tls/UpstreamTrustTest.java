package dev.jtap.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateException;
import java.util.List;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamTrustTest {

    private static CertificateAuthority unknownCa;
    private static LeafCertificates unknownServer;
    private static UpstreamTrust defaults;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() throws IOException {
        unknownCa = CertificateAuthority.createEphemeral();
        unknownServer = new LeafCertificates(unknownCa);
        defaults = UpstreamTrust.load(List.of(), false);
    }

    @Test
    void serverFromUnknownCaIsRejected() {
        SSLEngine client = defaults.newClientHandler("localhost", "127.0.0.1", 443, List.of("h2")).engine();
        Throwable failure = catchThrowable(() -> handshake(client, "localhost"));
        assertThat(failure).isInstanceOf(SSLHandshakeException.class);
        assertThat(UpstreamTrust.describe(failure))
                .isEqualTo("unable to find valid certification path (untrusted issuer)");
    }

    @Test
    void extraCaFileMakesTheServerTrusted() throws Exception {
        Path bundle = tmp.resolve("extra.pem");
        // several certificates in one file, the relevant one last
        Files.writeString(bundle, CertificateAuthority.createEphemeral().certificatePem() + "some comment\n"
                + unknownCa.certificatePem());
        UpstreamTrust trust = UpstreamTrust.load(List.of(bundle), false);
        SSLEngine client = trust.newClientHandler("localhost", "127.0.0.1", 443, List.of("h2", "http/1.1")).engine();

        handshake(client, "localhost", "h2");

        assertThat(client.getApplicationProtocol()).isEqualTo("h2");
    }

    @Test
    void ipLiteralIsCheckedWhenThereIsNoSni() throws Exception {
        Path ca = tmp.resolve("ca.pem");
        Files.writeString(ca, unknownCa.certificatePem());
        UpstreamTrust trust = UpstreamTrust.load(List.of(ca), false);

        handshake(trust.newClientHandler(null, "127.0.0.1", 443, List.of()).engine(), "127.0.0.1");

        Throwable failure = catchThrowable(() -> handshake(trust.newClientHandler(null, "127.0.0.2", 443, List.of()).engine(), "127.0.0.1"));
        assertThat(UpstreamTrust.describe(failure)).isEqualTo("hostname mismatch: 127.0.0.2 not in certificate");
    }

    @Test
    void hostnameMismatchIsDescribed() throws Exception {
        Path ca = tmp.resolve("ca.pem");
        Files.writeString(ca, unknownCa.certificatePem());
        UpstreamTrust trust = UpstreamTrust.load(List.of(ca), false);
        SSLEngine client = trust.newClientHandler("localhost", "127.0.0.1", 443, List.of()).engine();

        Throwable failure = catchThrowable(() -> handshake(client, "other.test"));

        assertThat(failure).isInstanceOf(SSLHandshakeException.class);
        assertThat(UpstreamTrust.describe(failure)).isEqualTo("hostname mismatch: localhost not in certificate");
    }

    @Test
    void insecureTrustsAnythingAndSkipsHostnameCheck() throws Exception {
        UpstreamTrust insecure = UpstreamTrust.load(List.of(), true);
        SSLEngine client = insecure.newClientHandler("localhost", "127.0.0.1", 443, List.of("http/1.1")).engine();
        handshake(client, "other.test", "http/1.1");
        assertThat(client.getApplicationProtocol()).isEqualTo("http/1.1");
    }

    @Test
    void unreadableExtraFileIsAnError() throws Exception {
        Path empty = tmp.resolve("empty.pem");
        Files.writeString(empty, "nothing here");
        assertThatThrownBy(() -> UpstreamTrust.load(List.of(empty), false))
                .isInstanceOf(IOException.class).hasMessageContaining("empty.pem");
        assertThatThrownBy(() -> UpstreamTrust.load(List.of(tmp.resolve("missing.pem")), false))
                .isInstanceOf(IOException.class);
    }

    @Test
    void describesExpiryAndFallsBackToTheDeepestMessage() {
        var expired = new SSLHandshakeException("PKIX path validation failed");
        expired.initCause(new CertificateException("validity check failed", new CertificateExpiredException("NotAfter: x")));
        assertThat(UpstreamTrust.describe(expired)).isEqualTo("certificate expired");
        assertThat(UpstreamTrust.describe(new SSLHandshakeException("Received fatal alert: handshake_failure")))
                .isEqualTo("server sent alert handshake_failure");
        assertThat(UpstreamTrust.describe(new IOException("outer", new IOException("inner reason"))))
                .isEqualTo("inner reason");
        assertThat(UpstreamTrust.describe(new IOException())).isEqualTo("IOException");
    }

    private static void handshake(SSLEngine client, String serverName) throws Exception {
        handshake(client, serverName, null);
    }

    private static void handshake(SSLEngine client, String serverName, String forcedAlpn) throws Exception {
        SSLEngine server = unknownServer.newServerHandler(serverName, forcedAlpn).engine();
        new EnginePair(client, server).handshake();
    }
}
