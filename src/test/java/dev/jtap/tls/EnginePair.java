package dev.jtap.tls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/** Drives a client and a server SSLEngine against each other in memory. */
final class EnginePair {

    private final SSLEngine client;
    private final SSLEngine server;
    private final ByteBuffer clientToServer;
    private final ByteBuffer serverToClient;
    private final ByteBuffer clientApp;
    private final ByteBuffer serverApp;

    EnginePair(SSLEngine client, SSLEngine server) {
        this.client = client;
        this.server = server;
        int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        int app = Math.max(client.getSession().getApplicationBufferSize(), server.getSession().getApplicationBufferSize());
        clientToServer = ByteBuffer.allocate(packet * 4);
        serverToClient = ByteBuffer.allocate(packet * 4);
        clientApp = ByteBuffer.allocate(app * 4);
        serverApp = ByteBuffer.allocate(app * 4);
    }

    /** Runs the handshake; throws the first engine failure (SSLHandshakeException etc.). */
    void handshake() throws SSLException {
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 200; round++) {
            step(client, serverToClient, clientToServer, clientApp);
            step(server, clientToServer, serverToClient, serverApp);
            if (done(client) && done(server)) {
                return;
            }
        }
        throw new IllegalStateException("handshake did not finish: client=" + client.getHandshakeStatus()
                + " server=" + server.getHandshakeStatus());
    }

    /** Sends text from client to server after the handshake and returns what the server read. */
    String clientSends(String text) throws SSLException {
        ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        client.wrap(out, clientToServer);
        clientToServer.flip();
        serverApp.clear();
        server.unwrap(clientToServer, serverApp);
        clientToServer.compact();
        serverApp.flip();
        return StandardCharsets.UTF_8.decode(serverApp).toString();
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    private static void step(SSLEngine engine, ByteBuffer incoming, ByteBuffer outgoing, ByteBuffer app)
            throws SSLException {
        for (int i = 0; i < 20; i++) {
            HandshakeStatus status = engine.getHandshakeStatus();
            switch (status) {
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                }
                case NEED_WRAP -> {
                    SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), outgoing);
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                        return;
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    incoming.flip();
                    SSLEngineResult result;
                    try {
                        result = engine.unwrap(incoming, app);
                    } finally {
                        incoming.compact();
                    }
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                            || result.getStatus() == SSLEngineResult.Status.CLOSED) {
                        return;
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }

    /** A client context that trusts exactly the given CA certificate. */
    static SSLContext clientTrusting(X509Certificate ca) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
