package dev.jtap.proxy;

import dev.jtap.http.ConnectionObserver;
import dev.jtap.http.Http1Observer;
import dev.jtap.http.Http2Observer;
import dev.jtap.record.Exchange;
import dev.jtap.stack.TcpFlow;
import dev.jtap.record.ExchangeSink;
import dev.jtap.record.Recorder;
import dev.jtap.record.WebSocketMessage;
import dev.jtap.tls.CertificateAuthority;
import dev.jtap.tls.LeafCertificates;
import dev.jtap.tls.UpstreamTrust;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What the proxy needs to look inside connections: certificates for the child (from jtap's CA,
 * and from an untrusted one to fail a child's handshake as a bad server would), the trust for
 * upstream TLS, where exchanges go, and the endpoints whose clients refused jtap's certificate.
 */
public final class Interception {
    private final LeafCertificates leaves;
    private LeafCertificates untrustedLeaves; // made on first use: only a rejected upstream certificate needs it
    private final CompletableFuture<UpstreamTrust> upstreamTrust;
    private final Recorder recorder;
    private final int maxBody;
    private final Set<Integer> httpPorts;
    private final Set<Integer> httpsPorts;
    private final Consumer<String> notice;
    private final Set<String> opaqueEndpoints = ConcurrentHashMap.newKeySet();

    /** {@code upstreamTrust} may still be loading: the first TLS connection waits for it, nothing else does. */
    public Interception(LeafCertificates leaves, CompletableFuture<UpstreamTrust> upstreamTrust,
                        Recorder recorder, int maxBody, Set<Integer> httpPorts, Set<Integer> httpsPorts,
                        Consumer<String> notice) {
        this.leaves = leaves;
        this.upstreamTrust = upstreamTrust;
        this.recorder = recorder;
        this.maxBody = maxBody;
        this.httpPorts = Set.copyOf(httpPorts);
        this.httpsPorts = Set.copyOf(httpsPorts);
        this.notice = notice;
    }

    LeafCertificates leaves() {
        return leaves;
    }

    synchronized LeafCertificates untrustedLeaves() {
        if (untrustedLeaves == null) {
            untrustedLeaves = new LeafCertificates(CertificateAuthority.createEphemeral());
        }
        return untrustedLeaves;
    }

    CompletableFuture<UpstreamTrust> upstreamTrust() {
        return upstreamTrust;
    }

    boolean forcedHttp(int port) {
        return httpPorts.contains(port);
    }

    boolean forcedHttps(int port) {
        return httpsPorts.contains(port);
    }

    void notice(String line) {
        notice.accept(line);
    }


    boolean isOpaque(String endpoint) {
        return opaqueEndpoints.contains(endpoint);
    }

    void relayOpaqueFromNowOn(String endpoint) {
        opaqueEndpoints.add(endpoint);
    }

    /** The observer for a connection speaking {@code protocol} (an ALPN name; HTTP/1 unless "h2"). */
    ConnectionObserver observer(String protocol, TcpFlow flow, String scheme, String authority) {
        Recorder connectionRecorder = recorderFor(flow.target().getAddress().getHostAddress());
        return "h2".equals(protocol)
                ? new Http2Observer(flow.id(), scheme, authority, connectionRecorder, maxBody)
                : new Http1Observer(flow.id(), scheme, authority, connectionRecorder, maxBody);
    }

    /** A recorder for one connection that stamps each exchange with the server's address. */
    private Recorder recorderFor(String serverAddress) {
        return new Recorder(List.of(new ExchangeSink() {
            @Override
            public void requestSent(Exchange exchange) {
                exchange.serverAddress(serverAddress);
                recorder.requestSent(exchange);
            }

            @Override
            public void exchangeFinished(Exchange exchange) {
                recorder.exchangeFinished(exchange);
            }

            @Override
            public void responseStarted(Exchange exchange) {
                recorder.responseStarted(exchange);
            }

            @Override
            public void webSocketMessage(Exchange exchange, WebSocketMessage message) {
                recorder.webSocketMessage(exchange, message);
            }

            @Override
            public void serverSentEvent(Exchange exchange, String eventText) {
                recorder.serverSentEvent(exchange, eventText);
            }
        }), System.err);
    }
}
