package dev.jtap.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.jtap.tls.CertificateAuthority;
import dev.jtap.tls.LeafCertificates;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;

/**
 * The launcher's AOT training run (JDK 25 {@code -XX:AOTCacheOutput}): jtap as a user runs it,
 * with traffic. It serves HTTP and HTTPS on the host's loopback and runs {@link TrainingClient}
 * inside the tap, so the cache holds the data path's classes, linked, and its method profiles,
 * not only start-up's: a fresh jtap's first big transfer then runs noticeably faster.
 */
public final class Training {
    static final int BIG_BYTES = 256 * 1024 * 1024;
    private static final byte[] SMALL = "hello from jtap's training run\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZEROS = new byte[1024 * 1024];

    private Training() {
    }

    public static void main(String[] args) throws Exception {
        Main.prepareJvm();
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        HttpServer http = HttpServer.create(loopback, 64);
        HttpsServer https = HttpsServer.create(loopback, 64);
        https.setHttpsConfigurator(new HttpsConfigurator(serverContext()));
        for (HttpServer server : new HttpServer[] {http, https}) {
            server.createContext("/", Training::serve);
            server.start();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of(Training.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Main.run(new String[] {"--insecure", "--", java, "-cp", jar, TrainingClient.class.getName(),
                "http://169.254.77.65:" + http.getAddress().getPort(),
                "https://169.254.77.65:" + https.getAddress().getPort()});
        System.exit(0); // whatever the child's fate, the cache of what did run is worth keeping
    }

    private static void serve(HttpExchange exchange) throws IOException {
        try (exchange; OutputStream body = exchange.getResponseBody()) {
            if (exchange.getRequestURI().getPath().equals("/big")) {
                exchange.sendResponseHeaders(200, BIG_BYTES);
                for (int sent = 0; sent < BIG_BYTES; sent += ZEROS.length) {
                    body.write(ZEROS);
                }
            } else {
                exchange.sendResponseHeaders(200, SMALL.length);
                body.write(SMALL);
            }
        }
    }

    /** A throw-away CA's leaf for the loopback address (jtap runs with --insecure here). */
    private static SSLContext serverContext() throws Exception {
        LeafCertificates.Leaf leaf = new LeafCertificates(CertificateAuthority.createEphemeral()).leafFor("127.0.0.1");
        char[] password = "training".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("leaf", leaf.key(), password, leaf.chain());
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }
}
