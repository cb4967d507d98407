package dev.jtap.proxy;

import dev.jtap.stack.TcpFlow;
import dev.jtap.tls.ClientHelloParser;
import dev.jtap.tls.PlaintextAlertWatcher;
import dev.jtap.tls.UpstreamTrust;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Man-in-the-middle for one TLS connection. The upstream handshake runs first, with the child's
 * server name and ALPN offer, and is verified; only then is the child's handshake finished with a
 * leaf minted for that name, selecting exactly the protocol the server chose. A rejected upstream
 * certificate makes the child see an untrusted one (so it fails as it would against that server);
 * a child that rejects jtap's certificate gets its endpoint relayed opaque from then on.
 */
final class TlsInterception {
    /** A fatal alert from the client, as the JDK's TLS or BoringSSL (SSLV3_ALERT_BAD_CERTIFICATE) words it. */
    private static final Pattern CLIENT_ALERT = Pattern.compile(
            "(?:Received fatal alert: |alert received: Level: fatal; Alert: |(?:SSLV3|TLSV1)_ALERT_)([A-Za-z0-9_]+)");

    /** A fresh jtap's first 1 GiB HTTPS download: 659 MB/s with 16 KiB (Netty's default), 704 with this. */
    private static final int WRAP_BYTES = 256 * 1024;

    private final TcpFlow flow;
    private final Channel child;
    private final Channel upstream;
    private final Interception interception;
    private final String endpoint;

    TlsInterception(TcpFlow flow, Channel child, Channel upstream, Interception interception) {
        this.flow = flow;
        this.child = child;
        this.upstream = upstream;
        this.interception = interception;
        this.endpoint = ConnectionSniffer.hostAndPort(flow.remote());
    }

    /** Takes over with the child's ClientHello (and any bytes after it) in {@code clientBytes}. */
    void start(ClientHelloParser.ClientHello hello, ByteBuf clientBytes) {
        String serverName = hello.serverName() != null ? hello.serverName() : flow.remote().getAddress().getHostAddress();
        String shownEndpoint = (hello.serverName() != null ? hello.serverName() : endpoint.substring(0, endpoint.lastIndexOf(':')))
                + ":" + flow.remote().getPort();
        if (interception.isOpaque(shownEndpoint)) {
            relayOpaque(clientBytes);
            return;
        }
        interception.upstreamTrust().whenCompleteAsync((trust, failure) -> {
            if (failure == null) {
                handshakeUpstream(trust, hello, serverName, shownEndpoint, clientBytes);
            } else {
                interception.notice("✗ TLS " + shownEndpoint + ": cannot load the upstream trust: " + failure.getMessage());
                upstream.close();
                abort(child);
                clientBytes.release();
            }
        }, child.eventLoop());
    }

    private void handshakeUpstream(UpstreamTrust trust, ClientHelloParser.ClientHello hello, String serverName,
                                   String shownEndpoint, ByteBuf clientBytes) {
        SslHandler upstreamTls = configured(trust.newClientHandler(hello.serverName(),
                flow.target().getAddress().getHostAddress(), flow.target().getPort(), hello.alpnProtocols()));
        SSLEngine upstreamEngine = upstreamTls.engine();
        upstream.pipeline().addBefore(HeldReads.NAME, "tls", upstreamTls);
        Relay.resumeReading(upstream);
        upstreamTls.handshakeFuture().addListener(done -> {
            if (done.isSuccess()) {
                String protocol = upstreamEngine.getApplicationProtocol();
                upstream.config().setAutoRead(false);
                finishChild(serverName, shownEndpoint, protocol == null || protocol.isEmpty() ? null : protocol,
                        clientBytes);
            } else {
                upstreamRejected(serverName, shownEndpoint, done.cause(), clientBytes);
            }
        });
    }

    private void finishChild(String serverName, String shownEndpoint, String protocol, ByteBuf clientBytes) {
        SslHandler childTls = configured(interception.leaves().newServerHandler(serverName, protocol));
        child.pipeline().addFirst("tls", childTls);
        PlaintextAlertWatcher alerts = new PlaintextAlertWatcher();
        child.pipeline().addBefore("tls", "alerts", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                alerts.observe((ByteBuf) msg);
                ctx.fireChannelRead(msg);
            }
        });
        childTls.handshakeFuture().addListener(done -> {
            child.pipeline().remove("alerts");
            if (!done.isSuccess()) {
                String alert = alerts.fatalAlert() != null ? alerts.fatalAlert() : alertFromClient(done.cause());
                if (alert != null) {
                    childRejected(shownEndpoint, alert);
                } else {
                    child.close();
                }
                return;
            }
            int port = flow.remote().getPort();
            String authority = port == 443 ? serverName : serverName + ":" + port;
            RelayTap tap = new HttpTap(interception.observer(protocol, flow, "https", hostForUrl(authority)));
            Relay.start(child, upstream, tap, flow);
        });
        child.pipeline().fireChannelRead(clientBytes);
        child.pipeline().fireChannelReadComplete();
        Relay.resumeReading(child);
    }

    private static String hostForUrl(String authority) {
        int colon = authority.lastIndexOf(':');
        if (authority.indexOf(':') != colon) {
            return "[" + authority + "]"; // a bare IPv6 literal
        }
        return authority;
    }

    private void upstreamRejected(String serverName, String shownEndpoint, Throwable cause, ByteBuf clientBytes) {
        boolean certificate = isCertificateProblem(cause);
        interception.notice("✗ TLS " + shownEndpoint + ": "
                + (certificate ? "upstream certificate rejected: " + UpstreamTrust.describe(cause)
                + " (--insecure accepts it)" : "upstream TLS handshake failed: " + UpstreamTrust.describe(cause)));
        if (!certificate) {
            upstream.close();
            abort(child);
            clientBytes.release();
            return;
        }
        SslHandler untrusted = configured(interception.untrustedLeaves().newServerHandler(serverName, null));
        child.pipeline().addFirst("tls", untrusted);
        untrusted.handshakeFuture().addListener(done -> {
            child.close();
            upstream.close();
        });
        child.pipeline().fireChannelRead(clientBytes);
        child.pipeline().fireChannelReadComplete();
        Relay.resumeReading(child);
    }

    private void childRejected(String shownEndpoint, String alert) {
        interception.notice("✗ TLS " + shownEndpoint + ": the client rejected jtap's certificate (alert "
                + alert + "); it may pin certificates or use its own CA list. "
                + "Later connections to " + shownEndpoint + " are relayed without decryption");
        interception.relayOpaqueFromNowOn(shownEndpoint);
        child.close();
    }

    /**
     * The fatal alert the child answered jtap's certificate with (rather than just going away), as the
     * TLS engine reports it, or null. BoringSSL words it "TLSV1_ALERT_UNKNOWN_CA"; the JDK (used where
     * BoringSSL cannot load) "Received fatal alert: NAME", or, for an alert a TLS 1.3 client sends
     * unencrypted right after the server's flight, "Unexpected plaintext alert received: Level: fatal;
     * Alert: NAME".
     */
    static String alertFromClient(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Matcher alert = CLIENT_ALERT.matcher(String.valueOf(t.getMessage()));
            if (alert.find()) {
                return alert.group(1).toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    private void relayOpaque(ByteBuf clientBytes) {
        Relay.start(child, upstream, RelayTap.NONE, flow);
        child.pipeline().fireChannelRead(clientBytes);
        child.pipeline().fireChannelReadComplete();
    }

    /**
     * No handshake deadline of jtap's own: the child's timeout decides, as it would without jtap.
     * Plaintext is encrypted up to {@link #WRAP_BYTES} at a time (the engine still cuts 16 KiB
     * records): one call into BoringSSL per read of the relay rather than one per record.
     */
    private static SslHandler configured(SslHandler handler) {
        handler.setHandshakeTimeoutMillis(0);
        handler.setWrapDataSize(WRAP_BYTES);
        return handler;
    }

    private static boolean isCertificateProblem(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertificateException || t instanceof java.security.cert.CertPathValidatorException) {
                return true;
            }
            String message = String.valueOf(t.getMessage());
            if (t instanceof SSLHandshakeException && (message.contains("certificate") || message.contains("PKIX"))) {
                return true;
            }
        }
        return false;
    }

    private static void abort(Channel channel) {
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        channel.close();
    }
}
