package dev.jtap.stack;

import io.netty.channel.Channel;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/** One UDP conversation of the child, relayed through a connected host socket. */
final class UdpFlow {
    static final int MAX_PENDING = 64;

    final int ipVersion;
    final int childPort;
    final InetSocketAddress remote;
    final byte[] remoteAddress;
    final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    Channel channel;
    boolean connected;
    long lastActiveNanos;

    UdpFlow(int ipVersion, int childPort, InetSocketAddress remote) {
        this.ipVersion = ipVersion;
        this.childPort = childPort;
        this.remote = remote;
        this.remoteAddress = remote.getAddress().getAddress();
    }
}
