package dev.jtap.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The trust jtap applies to its own connections to the real servers: the JDK's default
 * trust anchors, the host's system bundle and any extra CA files, or nothing at all when the
 * user asked for insecure mode.
 */
public final class UpstreamTrust {

    static final Path SYSTEM_BUNDLE = Path.of("/etc/ssl/certs/ca-certificates.crt");
    private static final Pattern HOST_IN_MESSAGE = Pattern.compile(
            "(?:No subject alternative (?:DNS )?names? matching (?:IP address )?|No name matching )(\\S+?)\\.? found");

    private final TlsContexts contexts;
    private final boolean insecure;

    private UpstreamTrust(TrustManager trustManager, boolean insecure) {
        this.contexts = new TlsContexts(() -> SslContextBuilder.forClient().trustManager(trustManager));
        this.insecure = insecure;
    }

    /**
     * Trust for upstream connections. Extra files may hold several PEM certificates each; an
     * unreadable extra file is an error, unlike a damaged entry in the system bundle.
     */
    public static UpstreamTrust load(List<Path> extraCaFiles, boolean insecure) throws IOException {
        try {
            return new UpstreamTrust(insecure ? new TrustEverything() : pkixTrustManager(extraCaFiles), insecure);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up upstream TLS trust", e);
        }
    }

    /**
     * The TLS client side of a connection to {@code peerHost:peerPort}. The certificate is checked
     * against {@code sniOrNull} or, without SNI, against {@code peerHost} (normally an IP literal).
     * ALPN is offered exactly as given; an empty list offers none. The handler comes from its context,
     * so BoringSSL's engine may take and give several records per call (faster than the record at a
     * time of an engine made for the plain SSLEngine contract).
     */
    public SslHandler newClientHandler(String sniOrNull, String peerHost, int peerPort, List<String> alpnProtocols) {
        // Keying the session cache by the SNI name keeps resumption per server name.
        SslHandler handler = contexts.forAlpn(alpnProtocols)
                .newHandler(ByteBufAllocator.DEFAULT, sniOrNull != null ? sniOrNull : peerHost, peerPort);
        SSLEngine engine = handler.engine();
        SSLParameters params = engine.getSSLParameters();
        params.setServerNames(sniOrNull != null ? List.of(new SNIHostName(sniOrNull)) : List.of());
        params.setEndpointIdentificationAlgorithm(insecure ? null : "HTTPS");
        engine.setSSLParameters(params);
        return handler;
    }

    /** A short human-readable reason for a failed upstream handshake. */
    public static String describe(Throwable handshakeFailure) {
        String deepest = null;
        for (Throwable t = handshakeFailure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (t instanceof CertificateExpiredException) {
                return "certificate expired";
            }
            if (t instanceof CertificateNotYetValidException) {
                return "certificate not yet valid";
            }
            if (t instanceof CertPathValidatorException cpve
                    && cpve.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return "certificate expired";
            }
            if (message != null) {
                Matcher host = HOST_IN_MESSAGE.matcher(message);
                if (t instanceof CertificateException && host.find()) {
                    return "hostname mismatch: " + host.group(1) + " not in certificate";
                }
                if (message.contains("No subject alternative names present")) {
                    return "hostname mismatch: certificate has no subject alternative names";
                }
                if (message.contains("unable to find valid certification path")) {
                    return "unable to find valid certification path (untrusted issuer)";
                }
                if (message.contains("Unsupported or unrecognized SSL message")) {
                    return "peer does not speak TLS";
                }
                if (message.startsWith("Received fatal alert: ")) {
                    return "server sent alert " + message.substring("Received fatal alert: ".length());
                }
                if (message.contains("No appropriate protocol")) {
                    return "no common TLS version or cipher suite";
                }
                deepest = message;
            }
        }
        return deepest != null ? deepest : handshakeFailure.getClass().getSimpleName();
    }

    private static X509TrustManager pkixTrustManager(List<Path> extraCaFiles)
            throws GeneralSecurityException, IOException {
        List<X509Certificate> anchors = new ArrayList<>(List.of(jdkDefaultTrustManager().getAcceptedIssuers()));
        if (Files.isReadable(SYSTEM_BUNDLE)) {
            anchors.addAll(Pem.readCertificatesLeniently(SYSTEM_BUNDLE));
        }
        for (Path file : extraCaFiles) {
            List<X509Certificate> certs = Pem.readCertificates(file);
            if (certs.isEmpty()) {
                throw new IOException(file + ": no PEM certificates found");
            }
            anchors.addAll(certs);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < anchors.size(); i++) {
            store.setCertificateEntry("anchor-" + i, anchors.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        return firstX509(factory);
    }

    private static X509TrustManager jdkDefaultTrustManager() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        return firstX509(factory);
    }

    private static X509TrustManager firstX509(TrustManagerFactory factory) {
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X509TrustManager from " + factory.getAlgorithm());
    }

    /** Insecure mode: accepts any certificate chain. */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
        @Override public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
