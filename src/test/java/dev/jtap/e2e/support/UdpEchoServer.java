package dev.jtap.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/** Echoes every datagram received on 127.0.0.1 back to its sender, optionally prefixed. */
public final class UdpEchoServer implements AutoCloseable {

    private final DatagramSocket socket;
    private final byte[] prefix;
    private final AtomicLong datagrams = new AtomicLong();
    private volatile boolean closed;

    private UdpEchoServer(String bindAddress, String prefix) {
        try {
            this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
        Thread t = new Thread(this::loop, "udp-echo-" + port());
        t.setDaemon(true);
        t.start();
    }

    public static UdpEchoServer start() {
        return new UdpEchoServer("127.0.0.1", "");
    }

    /** Replies are {@code prefix} followed by the received payload. */
    public static UdpEchoServer start(String prefix) {
        return new UdpEchoServer("127.0.0.1", prefix);
    }

    public static UdpEchoServer startIpv6(String prefix) {
        return new UdpEchoServer("::1", prefix);
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Number of datagrams received so far. */
    public long datagrams() {
        return datagrams.get();
    }

    private void loop() {
        byte[] buf = new byte[65535];
        while (!closed) {
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(in);
                datagrams.incrementAndGet();
                byte[] out = new byte[prefix.length + in.getLength()];
                System.arraycopy(prefix, 0, out, 0, prefix.length);
                System.arraycopy(in.getData(), in.getOffset(), out, prefix.length, in.getLength());
                socket.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
    }
}
