package dev.jtap.proxy;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLProtocolException;
import java.io.IOException;
import java.security.GeneralSecurityException;

import static org.assertj.core.api.Assertions.assertThat;

class TlsInterceptionTest {
    @Test
    void recognisesAFatalAlertFromTheClient() {
        assertThat(TlsInterception.alertFromClient(new SSLHandshakeException("Received fatal alert: bad_certificate")))
                .isEqualTo("bad_certificate");
    }

    /** What the JDK reports when curl (OpenSSL, TLS 1.3) rejects jtap's certificate with --cacert OTHER.pem. */
    @Test
    void recognisesAPlaintextAlertFromATls13Client() {
        Throwable cause = new SSLProtocolException("Unexpected exception",
                new GeneralSecurityException("Unexpected plaintext alert received: Level: fatal; Alert: unknown_ca"));
        assertThat(TlsInterception.alertFromClient(cause)).isEqualTo("unknown_ca");
    }

    @Test
    void recognisesAnAlertAsBoringSslReportsIt() {
        Throwable cause = new SSLHandshakeException("error:1000042e:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA");
        assertThat(TlsInterception.alertFromClient(cause)).isEqualTo("unknown_ca");
        assertThat(TlsInterception.alertFromClient(new SSLHandshakeException("SSLV3_ALERT_BAD_CERTIFICATE")))
                .isEqualTo("bad_certificate");
    }

    @Test
    void aClientThatJustLeavesSentNoAlert() {
        assertThat(TlsInterception.alertFromClient(new IOException("Connection reset by peer"))).isNull();
        assertThat(TlsInterception.alertFromClient(null)).isNull();
    }
}
