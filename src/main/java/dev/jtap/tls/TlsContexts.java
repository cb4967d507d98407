package dev.jtap.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * The TLS contexts of one side of jtap's interception, one per ALPN list (each connection offers or
 * accepts exactly the protocols it needs). BoringSSL (netty-tcnative) does the handshakes and the
 * record crypto when its native library loads here, several times faster than the JDK's TLS, whose
 * code must also be compiled while the first transfers run; the JDK's TLS is the fallback. The
 * native library is loaded with the first intercepted connection, so a run without TLS never pays.
 */
final class TlsContexts {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final Supplier<SslContextBuilder> builders;
    private final ConcurrentMap<List<String>, SslContext> byAlpn = new ConcurrentHashMap<>();

    /** {@code builders} makes a fresh server or client builder with the side's keys or trust. */
    TlsContexts(Supplier<SslContextBuilder> builders) {
        this.builders = builders;
    }

    /** The context offering (client) or accepting (server) exactly {@code alpn}; none when empty. */
    SslContext forAlpn(List<String> alpn) {
        return byAlpn.computeIfAbsent(List.copyOf(alpn), this::build);
    }

    private SslContext build(List<String> alpn) {
        SslContextBuilder builder = builders.get().sslProvider(Provider.CHOSEN).protocols(PROTOCOLS);
        if (!alpn.isEmpty()) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
        }
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Which TLS implementation jtap uses, decided when the first context is built. */
    static SslProvider provider() {
        return Provider.CHOSEN;
    }

    private static final class Provider {
        static final SslProvider CHOSEN = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }
}
