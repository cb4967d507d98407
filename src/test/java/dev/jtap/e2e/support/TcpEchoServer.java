package dev.jtap.e2e.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A TCP echo server on 127.0.0.1 with a few behaviours useful for relay tests. */
public final class TcpEchoServer implements AutoCloseable {

    public static final String GREETING = "HELLO\n";
    public static final String FAREWELL = "BYE\n";

    public enum Mode {
        /** Echo everything; close when the client closes its side. */
        ECHO,
        /** Send {@value #GREETING} right after accept, then echo. */
        GREETING,
        /** Echo; when the client shuts down its output, write {@value #FAREWELL} and then close. */
        HALF_CLOSE,
        /** Send {@link #bulk()} right after accept, then close at once, whether or not the client has read it. */
        BULK_THEN_CLOSE,
        /** Send {@value #GREETING} right after accept and close at once: the greeting and the FIN often travel together. */
        GREETING_THEN_CLOSE
    }

    /** 32 MiB that a reordering or a lost piece would change: byte i is i mod 251. */
    public static byte[] bulk() {
        byte[] data = new byte[32 * 1024 * 1024];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 251);
        }
        return data;
    }

    private final ServerSocket server;
    private final Mode mode;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean closed;

    private TcpEchoServer(String bindAddress, Mode mode) {
        this.mode = mode;
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon("tcp-echo-" + port(), this::acceptLoop);
    }

    public static TcpEchoServer start() {
        return new TcpEchoServer("127.0.0.1", Mode.ECHO);
    }

    public static TcpEchoServer start(Mode mode) {
        return new TcpEchoServer("127.0.0.1", mode);
    }

    public static TcpEchoServer startIpv6(Mode mode) {
        return new TcpEchoServer("::1", mode);
    }

    public int port() {
        return server.getLocalPort();
    }

    public Mode mode() {
        return mode;
    }

    /** TCP connections accepted so far. */
    public int connectionCount() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                connections.incrementAndGet();
                clients.add(client);
                daemon("tcp-echo-conn", () -> serve(client));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            if (mode == Mode.BULK_THEN_CLOSE || mode == Mode.GREETING_THEN_CLOSE) {
                out.write(mode == Mode.BULK_THEN_CLOSE ? bulk() : GREETING.getBytes(StandardCharsets.US_ASCII));
                return;
            }
            if (mode == Mode.GREETING) {
                out.write(GREETING.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
            if (mode == Mode.HALF_CLOSE) {
                out.write(FAREWELL.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                client.shutdownOutput();
            }
        } catch (IOException ignored) {
            // peer went away
        } finally {
            clients.remove(client);
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : clients) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
